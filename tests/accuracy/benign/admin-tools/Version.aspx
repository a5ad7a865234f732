<%@ Page Language="C#" %>
<%@ Import Namespace="System.Reflection" %>
<script runat="server">
protected void Page_Load(object sender, EventArgs e)
{
    Assembly ext = Assembly.Load("System.Web.Extensions, Version=4.0.0.0, Culture=neutral, PublicKeyToken=31bf3856ad364e35");
    lblExt.Text = ext.FullName;
    lblRuntime.Text = Environment.Version.ToString();
    lblApp.Text = typeof(System.Web.HttpApplication).Assembly.GetName().Version.ToString();
    foreach (AssemblyName n in Assembly.GetExecutingAssembly().GetReferencedAssemblies())
        blRefs.Items.Add(n.Name + " " + n.Version);
}
</script>
<html><body><form runat="server">
Runtime <asp:Label ID="lblRuntime" runat="server" /> / System.Web <asp:Label ID="lblApp" runat="server" /><br />
AJAX extensions: <asp:Label ID="lblExt" runat="server" />
<asp:BulletedList ID="blRefs" runat="server" />
</form></body></html>
