<%@ Page Language="c#" AutoEventWireup="false" Inherits="Microsoft.Exchange.HttpProxy.ExpiredPassword" %>
<!DOCTYPE html>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
<title><%=Strings.GetLocalizedString(Strings.IDs.ChangePassword)%></title>
<script type="text/javascript">
    function chkPwd() {
        var n = document.getElementById("newPwd1").value, c = document.getElementById("newPwd2").value;
        if (n != c) { document.getElementById("err").style.display = "block"; return false; }
        return true;
    }
</script>
</head>
<body>
<form action="/owa/auth/expiredpassword.aspx?url=<%=HttpUtility.UrlEncode(Destination)%>" method="POST" onsubmit="return chkPwd()">
    <input type="hidden" name="destination" value="<%=HttpUtility.HtmlAttributeEncode(Destination)%>">
    <input type="text" name="username" value="<%=HttpUtility.HtmlAttributeEncode(Request.Form["username"] ?? "")%>">
    <input type="password" name="oldPwd"><input type="password" id="newPwd1" name="newPwd1"><input type="password" id="newPwd2" name="newPwd2">
    <div id="err" style="display:none"><%=Strings.GetLocalizedString(Strings.IDs.PasswordsDoNotMatch)%></div>
    <input type="submit" value="submit">
</form>
</body>
</html>
