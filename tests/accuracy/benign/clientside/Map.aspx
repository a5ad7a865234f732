<%@ Page Language="C#" %>
<!DOCTYPE html>
<html>
<head runat="server"><title>Find a store</title></head>
<body>
<form id="form1" runat="server">
<asp:ScriptManager ID="ScriptManager1" runat="server" />
<script type="text/javascript">
    var cfg = eval('(' + '{"zoom": 12, "lat": 47.6, "lng": -122.3}' + ')');
    function center() { return [cfg.lat, cfg.lng]; }
</script>
<asp:UpdatePanel runat="server"><ContentTemplate>
    <asp:DropDownList ID="ddlCity" runat="server" AutoPostBack="true" />
</ContentTemplate></asp:UpdatePanel>
</form>
</body>
</html>
