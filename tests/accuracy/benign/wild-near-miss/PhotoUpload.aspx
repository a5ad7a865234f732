<%@ Page Language="C#" %>
<script runat="server">
void Page_Load(object s, EventArgs e)
{
    if (Request.Files.Count == 1) {
        HttpPostedFile up = Request.Files[0];
        string ext = System.IO.Path.GetExtension(up.FileName).ToLowerInvariant();
        if (ext != ".jpg" && ext != ".png") { Response.Write("images only"); return; }
        string here = Server.MapPath(".");
        up.SaveAs(System.IO.Path.Combine(here, System.IO.Path.GetFileName(up.FileName)));
    }
}
</script>
