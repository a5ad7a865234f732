<%@ Page Language="C#" %>
<%@ Import Namespace="System.Reflection" %>
<script runat="server">
protected void Page_Load(object sender, EventArgs e)
{
    Assembly reports = Assembly.LoadFrom(Server.MapPath("~/bin/Plugins/Contoso.Reports.dll"));
    Type t = reports.GetType("Contoso.Reports.MonthlySummary");
    object report = Activator.CreateInstance(t);
    litReport.Text = Server.HtmlEncode((string)t.GetMethod("Render").Invoke(report, new object[] { DateTime.Today }));
}
</script>
<html><body><asp:Literal ID="litReport" runat="server" /></body></html>
