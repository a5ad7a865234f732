<%@ WebHandler Language="C#" Class="Thumbnail" %>
using System;
using System.IO;
using System.Web;

public class Thumbnail : IHttpHandler
{
    public void ProcessRequest(HttpContext context)
    {
        int id;
        if (!int.TryParse(context.Request.QueryString["id"], out id) || id <= 0)
        {
            context.Response.StatusCode = 400;
            return;
        }
        string path = Path.Combine(context.Server.MapPath("~/App_Data/thumbs"), id.ToString() + ".jpg");
        if (!File.Exists(path))
        {
            context.Response.StatusCode = 404;
            return;
        }
        context.Response.ContentType = "image/jpeg";
        context.Response.Cache.SetCacheability(HttpCacheability.Public);
        context.Response.Cache.SetMaxAge(TimeSpan.FromDays(7));
        context.Response.BinaryWrite(File.ReadAllBytes(path));
    }

    public bool IsReusable { get { return true; } }
}
