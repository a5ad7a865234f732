<%@ Page Language="C#" AutoEventWireup="true" %>
<script runat="server">
protected void Page_Load(object sender, EventArgs e)
{
    if (!IsPostBack)
    {
        People.DataSource = new[] { new { Name = "Alice Example" }, new { Name = "Bob Example" } };
        People.DataBind();
    }
}
</script>
<html><head><title>People</title></head><body>
<ul>
<asp:Repeater ID="People" runat="server">
<ItemTemplate><li><%# Eval("Name") %></li></ItemTemplate>
</asp:Repeater>
</ul>
<p>Two plus three is <span id="sum"></span>.</p>
<script>var x = "2+3"; document.getElementById("sum").textContent = eval(x);</script>
</body></html>
