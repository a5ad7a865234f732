<%@ WebHandler Language="C#" Class="Download" %>
using System.IO;
using System.Web;

public class Download : IHttpHandler
{
    public void ProcessRequest(HttpContext context)
    {
        string folder = context.Server.MapPath("~/App_Data/public");
        string name = Path.GetFileName(context.Request.QueryString["f"] ?? "");
        string full = Path.Combine(folder, name);
        if (name.Length == 0 || !File.Exists(full) || !full.StartsWith(folder))
        {
            context.Response.StatusCode = 404;
            return;
        }
        context.Response.ContentType = "application/octet-stream";
        context.Response.AddHeader("Content-Disposition", "attachment; filename=\"" + name + "\"");
        context.Response.TransmitFile(full);
    }

    public bool IsReusable { get { return true; } }
}
