<%@ Page Language="C#" AutoEventWireup="true" CodeBehind="Reports.aspx.cs" Inherits="Contoso.Shop.Reports" %>
<html><head runat="server"><title>Sales report</title></head>
<body><form runat="server">
From <asp:TextBox ID="txtFrom" runat="server" TextMode="Date" />
<asp:Button ID="btnExport" runat="server" Text="Export CSV" OnClick="btnExport_Click" />
<asp:Label ID="lblStatus" runat="server" />
</form></body></html>
