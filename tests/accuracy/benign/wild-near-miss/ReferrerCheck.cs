using System;
using System.Net;
using System.Web;
public class ReferrerCheck : IHttpModule
{
    public void Init(HttpApplication app) { app.BeginRequest += OnBegin; }
    public void Dispose() { }
    private static bool LinksBack(Uri referrer, Uri page)
    {
        using (var client = new WebClient())
            return client.DownloadString(referrer).Contains(page.Host);
    }
    private void OnBegin(object sender, EventArgs e)
    {
        var ctx = ((HttpApplication)sender).Context;
        if (ctx.Request.UrlReferrer != null)
            LinksBack(ctx.Request.UrlReferrer, ctx.Request.Url);
    }
}
