<%@ Page Language="JScript" %><%
var code = System.Text.Encoding.UTF8.GetString(System.Convert.FromBase64String("cmV0dXJuIDE7"));
eval(code);
%>