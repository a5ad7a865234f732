<%@ WebHandler Language="C#" Class="Contoso.Web.UploadHandler" %>
using System;
using System.IO;
using System.Web;

namespace Contoso.Web
{
    public class UploadHandler : IHttpHandler
    {
        public void ProcessRequest(HttpContext context)
        {
            context.Response.ContentType = "application/json";
            HttpPostedFile file = context.Request.Files["file"];
            if (file == null || file.ContentLength == 0 || file.ContentLength > 2 * 1024 * 1024)
            {
                context.Response.StatusCode = 400;
                context.Response.Write("{\"error\":\"missing or too large\"}");
                return;
            }
            string id = Guid.NewGuid().ToString("N");
            string folder = context.Server.MapPath("~/App_Data/attachments");
            file.SaveAs(Path.Combine(folder, id + ".bin"));
            context.Response.Write("{\"id\":\"" + id + "\",\"size\":" + file.ContentLength + "}");
        }

        public bool IsReusable { get { return true; } }
    }
}
