<%@ Page Language="C#" %>
<%@ Import Namespace="System.Diagnostics" %>
<script runat="server">
protected void Restart_Click(object sender, EventArgs e)
{
    if (!User.IsInRole(@"CORP\Web Admins"))
    {
        Msg.Text = "Only members of Web Admins may restart IIS.";
        return;
    }
    Process p = Process.Start("iisreset.exe");
    p.WaitForExit(120000);
    Msg.Text = "iisreset finished with exit code " + p.ExitCode + ".";
}
</script>
<html><head><title>Restart IIS</title></head><body>
<form runat="server">
<p>Restarts all IIS services on this server. Users are disconnected for about a minute.</p>
<asp:Button ID="Restart" runat="server" Text="Restart IIS" OnClick="Restart_Click" />
<p><asp:Label ID="Msg" runat="server" /></p>
</form>
</body></html>
