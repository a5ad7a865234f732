<%@ Page Language="C#" AutoEventWireup="true" CodeBehind="Search.aspx.cs" Inherits="Contoso.Intranet.Search" %>
<!DOCTYPE html>
<html>
<head runat="server"><title>Search</title></head>
<body>
<form id="f" runat="server">
    <asp:TextBox ID="q" runat="server" />
    <asp:Button ID="go" runat="server" Text="Search" OnClick="go_Click" />
    <p>Results for <strong><%: Query %></strong></p>
    <asp:Repeater ID="results" runat="server">
        <ItemTemplate>
            <div class="hit"><a href="<%# Eval("Url") %>"><%# Eval("Title") %></a>
            <p><%# Eval("Snippet") %></p></div>
        </ItemTemplate>
    </asp:Repeater>
</form>
</body>
</html>
