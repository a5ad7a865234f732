<%@ WebHandler Language="C#" Class="Geo" %>
using System;
using System.IO;
using System.Net;
using System.Web;

// Looks up a postcode at the internal address service and relays its JSON.
public class Geo : IHttpHandler
{
    public void ProcessRequest(HttpContext context)
    {
        string zip = context.Request.QueryString["zip"] ?? "";
        int code;
        if (zip.Length != 5 || !int.TryParse(zip, out code)) { context.Response.StatusCode = 400; return; }
        var req = (HttpWebRequest)WebRequest.Create("https://geo.internal.contoso.com/api/zip/" + zip);
        req.Timeout = 5000;
        using (var resp = (HttpWebResponse)req.GetResponse())
        using (var sr = new StreamReader(resp.GetResponseStream()))
        {
            context.Response.ContentType = "application/json";
            context.Response.Write(sr.ReadToEnd());
        }
    }

    public bool IsReusable { get { return true; } }
}
