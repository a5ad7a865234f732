<%@ WebHandler Language="C#" Class="Contoso.Web.SearchHandler" %>
using System;
using System.Linq;
using System.Web;
using System.Web.Script.Serialization;

namespace Contoso.Web
{
    public class SearchHandler : IHttpHandler
    {
        private static readonly string[] Cities = { "Amsterdam", "Berlin", "Boston", "Madrid", "Seattle", "Sydney" };

        public void ProcessRequest(HttpContext context)
        {
            string q = (context.Request["q"] ?? "").Trim();
            int max;
            if (!int.TryParse(context.Request.QueryString["max"], out max) || max < 1 || max > 20) max = 10;
            var hits = Cities.Where(c => c.StartsWith(q, StringComparison.OrdinalIgnoreCase)).Take(max).ToArray();
            context.Response.ContentType = "application/json";
            context.Response.Write(new JavaScriptSerializer().Serialize(new { query = q, results = hits }));
        }

        public bool IsReusable { get { return true; } }
    }
}
