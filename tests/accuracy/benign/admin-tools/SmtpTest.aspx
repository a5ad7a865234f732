<%@ Page Language="C#" EnableSessionState="True" %>
<%@ Import Namespace="System.Net.Sockets" %>
<%@ Import Namespace="System.Text" %>
<script runat="server">
// Checks that the relay answers: connect to the fixed smart host, read the banner, QUIT.
protected void btnTest_Click(object sender, EventArgs e)
{
    string banner;
    try
    {
        using (Socket s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            s.ReceiveTimeout = 5000;
            s.Connect("smtp.contoso.com", 25);
            byte[] buf = new byte[512];
            int n = s.Receive(buf);
            banner = Encoding.ASCII.GetString(buf, 0, n).Trim();
            s.Send(Encoding.ASCII.GetBytes("QUIT\r\n"));
        }
    }
    catch (SocketException ex)
    {
        banner = "failed: " + ex.SocketErrorCode;
    }
    Session["lastSmtpTest"] = DateTime.Now.ToString("s") + " " + banner;
    lblResult.Text = Server.HtmlEncode((string)Session["lastSmtpTest"]);
}
</script>
<html><body><form runat="server">
<asp:Button ID="btnTest" runat="server" Text="Test mail relay" OnClick="btnTest_Click" />
<asp:Label ID="lblResult" runat="server" />
</form></body></html>
