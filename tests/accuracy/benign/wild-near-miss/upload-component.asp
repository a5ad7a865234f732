<%
Set up = Server.CreateObject("Persits.Upload")
up.SetMaxSize 1048576, True
up.Save Server.MapPath("/uploads")
For Each f In up.Files
    Response.Write Server.HTMLEncode(f.FileName) & "<br>"
Next
%>
