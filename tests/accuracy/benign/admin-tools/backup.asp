<%@ Language="VBScript" %>
<!-- #include virtual="/admin/auth.asp" -->
<%
' Starts the nightly backup script on demand (admins only, see auth.asp).
Dim sh
If Request.Form("go") = "1" Then
    Set sh = Server.CreateObject("WScript.Shell")
    sh.Run "cmd.exe /c C:\Scripts\backup-site.cmd", 0, False
    Set sh = Nothing
    Response.Write "<p>Backup started.</p>"
End If
%>
<form method="post"><input type="hidden" name="go" value="1" /><input type="submit" value="Start backup" /></form>
