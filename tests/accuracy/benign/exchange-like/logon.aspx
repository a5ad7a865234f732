<%@ Page Language="c#" AutoEventWireup="false" Inherits="Microsoft.Exchange.HttpProxy.Logon" %>
<%@ Import Namespace="Microsoft.Exchange.Clients.Owa.Core" %>
<!DOCTYPE html>
<html dir="<%=IsRtl ? "rtl" : "ltr"%>">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
<meta http-equiv="X-UA-Compatible" content="IE=10" />
<title><%=Strings.GetLocalizedString(Strings.IDs.OutlookWebApp)%></title>
<link type="text/css" rel="stylesheet" href="/owa/auth/<%=InstalledVersion%>/themes/resources/logon.css">
<script type="text/javascript" src="/owa/auth/<%=InstalledVersion%>/scripts/flogon.js"></script>
<script type="text/javascript">
    var a_fRC = 1, g_fFcs = 1, a_fLOff = 0, a_fCAC = 1, a_fEnbSMm = 1;
    function clkLgn() { if (gbid("username").value.length == 0) { shwErr(1); return false; } return true; }
</script>
</head>
<body class="signInBg" onload="javascript:rcrsz();">
<form action="/owa/auth.owa" method="POST" name="logonForm" autocomplete="off">
    <input type="hidden" name="destination" value="<%=Destination%>">
    <input type="hidden" name="flags" value="4">
    <input type="hidden" name="forcedownlevel" value="0">
    <div class="signInInputLabel"><%=Strings.GetLocalizedString(Strings.IDs.UserNameLabel)%></div>
    <input id="username" name="username" type="text" class="signInInputText" role="textbox">
    <div class="signInInputLabel"><%=Strings.GetLocalizedString(Strings.IDs.PasswordLabel)%></div>
    <input id="password" name="password" type="password" class="signInInputText" role="textbox">
    <% if (ShowPublicPrivateSelection) { %>
    <input id="chkPrvt" name="trusted" type="checkbox" value="4" checked> <%=Strings.GetLocalizedString(Strings.IDs.PrivateComputer)%>
    <% } %>
    <div onclick="clkLgn()" class="signinbutton" role="button" tabindex="0">sign in</div>
</form>
</body>
</html>
