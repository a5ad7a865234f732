<%@ Page Language="VB" AutoEventWireup="false" CodeFile="Contact.aspx.vb" Inherits="Contact" %>
<html>
<head runat="server"><title>Contact us</title></head>
<body>
<form id="form1" runat="server">
    Name: <asp:TextBox ID="txtName" runat="server" /><br />
    E-mail: <asp:TextBox ID="txtMail" runat="server" /><br />
    <asp:TextBox ID="txtBody" runat="server" TextMode="MultiLine" Rows="6" /><br />
    <asp:Button ID="btnSend" runat="server" Text="Send" />
    <asp:Label ID="lblResult" runat="server" />
</form>
</body>
</html>
