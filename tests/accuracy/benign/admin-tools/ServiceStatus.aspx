<%@ Page Language="VB" %>
<%@ Import Namespace="System.Diagnostics" %>
<script runat="server">
Sub Page_Load(sender As Object, e As EventArgs)
    Dim p As New Process()
    p.StartInfo.FileName = "sc.exe"
    p.StartInfo.Arguments = "query W3SVC"
    p.StartInfo.UseShellExecute = False
    p.StartInfo.RedirectStandardOutput = True
    p.Start()
    litOut.Text = Server.HtmlEncode(p.StandardOutput.ReadToEnd())
    p.WaitForExit()
End Sub
</script>
<html><body><pre><asp:Literal ID="litOut" runat="server" /></pre></body></html>
