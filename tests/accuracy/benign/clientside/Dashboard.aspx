<%@ Page Language="C#" AutoEventWireup="true" CodeBehind="Dashboard.aspx.cs" Inherits="Contoso.Ops.Dashboard" %>
<!DOCTYPE html>
<html>
<head runat="server">
<title>Dashboard</title>
<script type="text/javascript">
    // old widget feed: the server sends a JS object literal, not JSON
    function loadWidgets(text) {
        var data = eval("(" + text + ")");
        for (var i = 0; i < data.widgets.length; i++) render(data.widgets[i]);
    }
    var params = document.location.search.substring(1).split("&");
    var filter = params.length ? decodeURIComponent(params[0].split("=")[1] || "") : "";
    window.setTimeout("refresh()", 30000);
</script>
</head>
<body>
<form id="form1" runat="server">
    <asp:ScriptManager ID="sm" runat="server" EnablePageMethods="true" />
    <div id="widgets" data-user="<%: User.Identity.Name %>"></div>
</form>
<script>
    function refresh() {
        var x = new XMLHttpRequest();
        x.open("GET", "Widgets.ashx?filter=" + encodeURIComponent(filter));
        x.onload = function () { loadWidgets(x.responseText); };
        x.send();
    }
    refresh();
</script>
</body>
</html>
