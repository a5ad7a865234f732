<%@ Page Language="C#" %>
<%@ Import Namespace="System.IO" %>
<script runat="server">
static readonly string[] Allowed = { ".pdf", ".docx", ".xlsx", ".png", ".jpg" };

protected void Send_Click(object sender, EventArgs e)
{
    if (Request.Files.Count == 0 || Request.Files[0].ContentLength == 0)
    {
        Msg.Text = "Choose a file first.";
        return;
    }
    HttpPostedFile f = Request.Files[0];
    if (f.ContentLength > 10 * 1024 * 1024)
    {
        Msg.Text = "The file is larger than 10 MB.";
        return;
    }
    string name = Path.GetFileName(f.FileName);
    string ext = Path.GetExtension(name).ToLowerInvariant();
    if (Array.IndexOf(Allowed, ext) < 0)
    {
        Msg.Text = "Only PDF, Word, Excel, PNG and JPEG files are accepted.";
        return;
    }
    string folder = Server.MapPath("~/App_Data/uploads");
    f.SaveAs(Path.Combine(folder, Guid.NewGuid().ToString("N") + ext));
    Msg.Text = "Received " + Server.HtmlEncode(name) + ". HR will be in touch.";
}
</script>
<html><head><title>Send a document to HR</title></head><body>
<form runat="server" enctype="multipart/form-data">
<input type="file" name="doc" />
<asp:Button ID="Send" runat="server" Text="Send" OnClick="Send_Click" />
<p><asp:Label ID="Msg" runat="server" /></p>
</form>
</body></html>
