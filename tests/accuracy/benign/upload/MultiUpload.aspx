<%@ Page Language="C#" %>
<%@ Import Namespace="System.IO" %>
<script runat="server">
static readonly string[] Allowed = { ".jpg", ".jpeg", ".png", ".gif" };

protected void Page_Load(object sender, EventArgs e)
{
    if (!IsPostBack) return;
    string folder = Server.MapPath("~/App_Data/incoming");
    Directory.CreateDirectory(folder);
    int saved = 0;
    for (int i = 0; i < Request.Files.Count; i++)
    {
        HttpPostedFile file = Request.Files[i];
        if (file.ContentLength == 0 || file.ContentLength > 4 * 1024 * 1024) continue;
        string ext = Path.GetExtension(file.FileName).ToLowerInvariant();
        if (Array.IndexOf(Allowed, ext) < 0) continue;
        file.SaveAs(Path.Combine(folder, Guid.NewGuid().ToString("N") + ext));
        saved++;
    }
    lblResult.Text = saved + " picture(s) saved.";
}
</script>
<html><body>
<form runat="server" enctype="multipart/form-data">
<input type="file" name="pics" multiple="multiple" />
<asp:Button runat="server" Text="Upload" />
<asp:Label ID="lblResult" runat="server" />
</form>
</body></html>
