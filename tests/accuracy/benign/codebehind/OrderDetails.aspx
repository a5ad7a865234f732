<%@ Page Language="C#" AutoEventWireup="true" CodeBehind="OrderDetails.aspx.cs" Inherits="Contoso.Shop.OrderDetails" %>
<!DOCTYPE html>
<html>
<head runat="server"><title>Order</title></head>
<body>
    <form id="form1" runat="server">
        <h1>Order <asp:Literal ID="litOrderId" runat="server" /></h1>
        <asp:DetailsView ID="dvOrder" runat="server" AutoGenerateRows="true" />
        <asp:Button ID="btnCancel" runat="server" Text="Cancel order" OnClick="btnCancel_Click" />
    </form>
</body>
</html>
