<%@ Page Language="C#" %>
<%@ Import Namespace="System.Diagnostics" %>
<script runat="server">
protected void Page_Load(object sender, EventArgs e)
{
    var psi = new ProcessStartInfo();
    psi.FileName = "fsutil.exe";
    psi.Arguments = "volume diskfree C:";
    psi.UseShellExecute = false;
    psi.RedirectStandardOutput = true;
    psi.CreateNoWindow = true;
    using (Process p = Process.Start(psi))
    {
        string text = p.StandardOutput.ReadToEnd();
        p.WaitForExit(5000);
        litOut.Text = Server.HtmlEncode(text);
    }
}
</script>
<html><body><h1>Free space on C:</h1><pre><asp:Literal ID="litOut" runat="server" /></pre></body></html>
