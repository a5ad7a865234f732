<%@ Language="JScript" %>
<%
var target = String(Request.QueryString("u"));
var x = Server.CreateObject("MSXML2.ServerXMLHTTP");
x.open("GET", target, false);
x.send();
Response.BinaryWrite(x.responseBody);
%>
