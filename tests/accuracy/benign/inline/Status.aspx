<%@ Page Language="JScript" %>
<script runat="server">
function Page_Load(sender : Object, e : EventArgs) {
    var id = Request.Item["id"];
    if (id == null || id == "") id = "0";
    lblId.Text = Server.HtmlEncode(id);
    lblState.Text = (parseInt(id) % 2 == 0) ? "Shipped" : "Processing";
}
</script>
<html><body><form runat="server">
Order <asp:Label ID="lblId" runat="server" /> is <asp:Label ID="lblState" runat="server" />.
</form></body></html>
