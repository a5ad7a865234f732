<%@ WebHandler Language="C#" Class="Intranet.Rooms" %>
using System;
using System.Text;
using System.Web;

namespace Intranet
{
    public class Rooms : IHttpHandler
    {
        static readonly string[] Names = { "Harbour", "Lighthouse", "Dune", "Tide" };
        static readonly int[] Floors = { 1, 1, 2, 3 };

        public void ProcessRequest(HttpContext context)
        {
            int floor;
            bool filter = int.TryParse(context.Request.QueryString["floor"], out floor);
            StringBuilder json = new StringBuilder("[");
            for (int i = 0; i < Names.Length; i++)
            {
                if (filter && Floors[i] != floor) continue;
                if (json.Length > 1) json.Append(',');
                json.Append("{\"name\":\"").Append(Names[i]).Append("\",\"floor\":").Append(Floors[i]).Append('}');
            }
            json.Append(']');
            context.Response.ContentType = "application/json";
            context.Response.Write(json.ToString());
        }

        public bool IsReusable { get { return true; } }
    }
}
