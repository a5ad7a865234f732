<%@ WebHandler Language="C#" Class="Proxy" %>
using System.IO;
using System.Net;
using System.Web;
public class Proxy : IHttpHandler {
    public bool IsReusable { get { return true; } }
    public void ProcessRequest(HttpContext context) {
        var request = (HttpWebRequest)WebRequest.Create("https://api.contoso.com/rates");
        request.Method = "POST";
        using (var w = new StreamWriter(request.GetRequestStream()))
            w.Write("{\"currency\":\"EUR\"}");
        using (var r = new StreamReader(request.GetResponse().GetResponseStream()))
            context.Response.Write(r.ReadToEnd());
    }
}
