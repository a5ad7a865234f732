<%@ Page Title="Products" Language="C#" MasterPageFile="~/Site.Master" AutoEventWireup="true" CodeBehind="Products.aspx.cs" Inherits="Contoso.Shop.Products" %>
<asp:Content ID="Main" ContentPlaceHolderID="MainContent" runat="server">
    <h2>Products</h2>
    <asp:Panel runat="server" DefaultButton="btnSearch">
        <asp:TextBox ID="txtSearch" runat="server" CssClass="form-control" />
        <asp:Button ID="btnSearch" runat="server" Text="Search" OnClick="btnSearch_Click" />
    </asp:Panel>
    <asp:GridView ID="gvProducts" runat="server" AutoGenerateColumns="false" CssClass="table">
        <Columns>
            <asp:BoundField DataField="Name" HeaderText="Name" />
            <asp:BoundField DataField="Price" HeaderText="Price" DataFormatString="{0:C}" />
            <asp:HyperLinkField DataNavigateUrlFields="ProductID" DataNavigateUrlFormatString="OrderDetails.aspx?id={0}" Text="Details" />
        </Columns>
    </asp:GridView>
    <asp:HyperLink ID="lnkPrev" runat="server" Text="&laquo; Previous" />
    <asp:Label ID="lblPage" runat="server" />
    <asp:HyperLink ID="lnkNext" runat="server" Text="Next &raquo;" />
</asp:Content>
