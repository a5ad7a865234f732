<%@ Page Language="C#" %>
<%@ Import Namespace="System.Data" %>
<script runat="server">
protected void Page_Load(object sender, EventArgs e)
{
    int category;
    int.TryParse(Request["id"], out category);
    lblCategory.Text = "Category " + category;
    DataTable t = new DataTable();
    t.Columns.Add("Name");
    t.Columns.Add("Price", typeof(decimal));
    t.Rows.Add("Blue mug", 7.5m);
    t.Rows.Add("Tea towel", 4.25m);
    rptProducts.DataSource = t;
    rptProducts.DataBind();
}
</script>
<html>
<body>
<form runat="server">
<h2><asp:Label ID="lblCategory" runat="server" /></h2>
<asp:Repeater ID="rptProducts" runat="server">
    <ItemTemplate>
        <tr><td><%# Eval("Name") %></td>
            <td><%# DataBinder.Eval(Container.DataItem, "Price", "{0:C}") %></td>
            <td><%# DataBinder.Eval(Container.DataItem, "Price") %></td></tr>
    </ItemTemplate>
</asp:Repeater>
</form>
</body>
</html>
