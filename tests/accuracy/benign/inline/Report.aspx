<%@ Page Language="C#" %>
<script runat="server">
void Page_Load(object sender, EventArgs e)
{
    if (!IsPostBack)
    {
        fvOrder.DataSource = new[] { new { Qty = 3, Date = DateTime.Today, Customer = "Fabrikam" } };
        fvOrder.DataBind();
    }
}
</script>
<html><head><title><%$ Resources:Strings, ReportTitle %></title></head>
<body><form runat="server">
<asp:Literal runat="server" Text="<%$ AppSettings:CompanyName %>" />
<asp:FormView ID="fvOrder" runat="server">
    <ItemTemplate>
        Customer: <%# Eval("Customer") %><br />
        Date: <%# Eval("Date", "{0:d}") %><br />
        Quantity: <asp:TextBox runat="server" Text='<%# Bind("Qty") %>' />
    </ItemTemplate>
</asp:FormView>
<asp:XmlDataSource ID="feed" runat="server" DataFile="~/App_Data/news.xml" XPath="/rss/channel/item" />
<asp:Repeater runat="server" DataSourceID="feed"><ItemTemplate><li><%# XPath("title") %></li></ItemTemplate></asp:Repeater>
</form></body></html>
