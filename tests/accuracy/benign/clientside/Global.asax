<%@ Application Language="C#" %>
<%@ Import Namespace="System.Web.Routing" %>
<script runat="server">
void Application_Start(object sender, EventArgs e)
{
    RouteTable.Routes.MapPageRoute("product", "products/{id}", "~/OrderDetails.aspx");
    RouteTable.Routes.MapPageRoute("search", "search/{q}", "~/Search.aspx");
    Application["StartedAt"] = DateTime.UtcNow;
}

void Application_Error(object sender, EventArgs e)
{
    Exception ex = Server.GetLastError();
    System.Diagnostics.Trace.TraceError("Unhandled: {0} at {1}", ex, Request.RawUrl);
}

void Session_Start(object sender, EventArgs e)
{
    Session["Culture"] = Request.UserLanguages != null && Request.UserLanguages.Length > 0 ? Request.UserLanguages[0] : "en-US";
}
</script>
