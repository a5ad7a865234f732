<%@ Language="VBScript" %>
<%
Option Explicit
Dim id, conn, rs
id = Request("id")
If Not IsNumeric(id) Or id = "" Then id = 0
Set conn = Server.CreateObject("ADODB.Connection")
conn.Open Application("ConnStr")
Set rs = conn.Execute("SELECT Title, Body FROM News WHERE NewsID = " & CLng(id))
%>
<html>
<head>
<title>News</title>
<script language="javascript">
function show(s) { var o = eval("document.all." + s); o.style.display = "block"; }
</script>
</head>
<body>
<% If Not rs.EOF Then %>
<h1><%= Server.HTMLEncode(rs("Title")) %></h1>
<div><%= Server.HTMLEncode(rs("Body")) %></div>
<% Else %>
<p>No such article.</p>
<% End If
rs.Close : conn.Close
%>
<a href="#" onclick="show('more')">More</a>
</body>
</html>
