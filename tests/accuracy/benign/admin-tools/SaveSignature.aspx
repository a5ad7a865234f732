<%@ Page Language="C#" %>
<%@ Import Namespace="System.IO" %>
<script runat="server">
// The signature pad posts a PNG as base64 in "img"; store it under a new name.
protected void Page_Load(object sender, EventArgs e)
{
    if (Request.HttpMethod != "POST") return;
    string data = Request["img"] ?? "";
    const string prefix = "data:image/png;base64,";
    if (data.StartsWith(prefix)) data = data.Substring(prefix.Length);
    byte[] png = Convert.FromBase64String(data);
    if (png.Length < 8 || png.Length > 512 * 1024 || png[0] != 0x89 || png[1] != 0x50)
    {
        Response.StatusCode = 400;
        return;
    }
    string folder = Server.MapPath("~/App_Data/signatures");
    string id = Guid.NewGuid().ToString("N");
    File.WriteAllBytes(Path.Combine(folder, id + ".png"), png);
    Response.ContentType = "application/json";
    Response.Write("{\"id\":\"" + id + "\"}");
}
</script>
