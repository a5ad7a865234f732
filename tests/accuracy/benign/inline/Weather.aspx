<%@ Page Language="JScript" %>
<%@ Import Namespace="System.Xml" %>
<script runat="server">
function Page_Load() {
    var city = Request.QueryString["city"];
    if (city == null) city = "Seattle";
    var doc = new XmlDocument();
    doc.Load(Server.MapPath("~/App_Data/forecast.xml"));
    var node = doc.SelectSingleNode("/forecast/city[@name='Seattle']");
    lblCity.Text = Server.HtmlEncode(city);
    lblTemp.Text = node == null ? "n/a" : node.Attributes["temp"].Value;
}
</script>
<html><body><form runat="server">
<asp:Label ID="lblCity" runat="server" />: <asp:Label ID="lblTemp" runat="server" /> &deg;C
</form></body></html>
