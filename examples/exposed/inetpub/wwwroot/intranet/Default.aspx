<%@ Page Language="C#" AutoEventWireup="true" CodeFile="Default.aspx.cs" Inherits="Intranet.DefaultPage" %>
<!DOCTYPE html>
<html>
<head runat="server"><title>Intranet</title></head>
<body>
<form id="main" runat="server">
<h1>Welcome, <asp:Label ID="UserName" runat="server" /></h1>
<asp:Panel ID="News" runat="server"><p>The canteen is closed on Friday.</p></asp:Panel>
<asp:Panel ID="Links" runat="server" Visible="false">
<ul><li><a href="Upload.aspx">Send a document</a></li><li><a href="Rooms.ashx">Rooms (JSON)</a></li></ul>
</asp:Panel>
</form>
</body>
</html>
