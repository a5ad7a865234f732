<%@ Language="VBScript" %>
<!-- #include virtual="/inc/session.asp" -->
<%
' Stores the posted picture as the signed-in user's avatar (JPEG only, max 200 KB).
Dim uid, size, data, st
uid = CLng(Session("UserID"))
size = Request.TotalBytes
If uid > 0 And size > 0 And size < 204800 Then
    data = Request.BinaryRead(size)
    Set st = Server.CreateObject("ADODB.Stream")
    st.Type = 1
    st.Open
    st.Write data
    st.SaveToFile Server.MapPath("/avatars/" & uid & ".jpg"), 2
    st.Close
    Set st = Nothing
    Response.Write "saved"
Else
    Response.Status = "400 Bad Request"
End If
%>
