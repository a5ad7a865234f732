<%@ Page Language="C#" %>
<%@ Import Namespace="System.Reflection" %>
<script runat="server">
protected void Page_Load(object sender, EventArgs e)
{
    Assembly ext = Assembly.Load("System.Web.Extensions, Version=4.0.0.0, Culture=neutral, PublicKeyToken=31bf3856ad364e35");
    Ver.Text = ext.GetName().Version.ToString();
}
</script>
<html><head><title>Components</title></head><body>
<p>System.Web.Extensions version: <asp:Label ID="Ver" runat="server" /></p>
</body></html>
