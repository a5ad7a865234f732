<%@ WebHandler Language="C#" Class="RatesProxy" %>
using System.Net;
using System.Web;
public class RatesProxy : IHttpHandler {
    public bool IsReusable { get { return true; } }
    public void ProcessRequest(HttpContext context) {
        string cur = context.Request.QueryString["cur"] ?? "EUR";
        using (var c = new WebClient())
            context.Response.Write(c.DownloadString("https://rates.contoso.com/api?currency=" + HttpUtility.UrlEncode(cur)));
    }
}
