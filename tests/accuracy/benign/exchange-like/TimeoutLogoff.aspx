<%@ Page Language="c#" AutoEventWireup="false" Inherits="Microsoft.Exchange.Management.ControlPanel.TimeoutLogoff" %>
<!DOCTYPE html>
<html>
<head><title>Exchange admin center</title>
<script type="text/javascript">
    window.setTimeout(function () { window.location.href = "/ecp/?ExchClientVer=15"; }, 5000);
</script>
</head>
<body>
<p><%=Strings.SessionTimedOut%></p>
<p><a href="/ecp/"><%=Strings.SignInAgain%></a></p>
</body>
</html>
