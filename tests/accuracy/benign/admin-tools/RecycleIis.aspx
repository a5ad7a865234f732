<%@ Page Language="C#" %>
<%@ Import Namespace="System.Diagnostics" %>
<script runat="server">
protected void Page_Load(object sender, EventArgs e)
{
    if (!User.IsInRole(@"CONTOSO\Web Admins")) { Response.StatusCode = 403; Response.End(); }
    if (IsPostBack && Request.Form["confirm"] == "yes")
    {
        Process.Start("iisreset.exe", "/noforce");
        lblStatus.Text = "IIS restart requested at " + DateTime.Now.ToString("T");
    }
}
</script>
<html><body><form runat="server">
<p>Restart IIS on this server?</p>
<input type="checkbox" name="confirm" value="yes" /> I am sure
<asp:Button runat="server" Text="Restart" />
<asp:Label ID="lblStatus" runat="server" />
</form></body></html>
