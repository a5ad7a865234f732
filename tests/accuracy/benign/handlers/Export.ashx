<%@ WebHandler Language="C#" Class="Export" %>
using System;
using System.Text;
using System.Text.RegularExpressions;
using System.Web;

public class Export : IHttpHandler
{
    public void ProcessRequest(HttpContext context)
    {
        string name = Regex.Replace(context.Request["name"] ?? "export", "[^A-Za-z0-9_-]", "");
        if (name.Length == 0) name = "export";
        var sb = new StringBuilder("Id,Name,Created\r\n");
        for (int i = 1; i <= 10; i++)
            sb.AppendFormat("{0},Item {0},{1:yyyy-MM-dd}\r\n", i, DateTime.Today.AddDays(-i));
        context.Response.ContentType = "text/csv";
        context.Response.AddHeader("Content-Disposition", "attachment; filename=" + name + ".csv");
        context.Response.Write(sb.ToString());
    }

    public bool IsReusable { get { return true; } }
}
