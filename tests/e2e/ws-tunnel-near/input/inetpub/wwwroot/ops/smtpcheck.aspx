<%@ Page Language="C#" %>
<%@ Import Namespace="System.Configuration" %>
<%@ Import Namespace="System.IO" %>
<%@ Import Namespace="System.Net.Sockets" %>
<script runat="server">
protected void Page_Load(object sender, EventArgs e)
{
    string host = ConfigurationManager.AppSettings["SmtpHost"];
    using (TcpClient client = new TcpClient())
    {
        client.Connect(host, 25);
        using (StreamReader r = new StreamReader(client.GetStream()))
        {
            Banner.Text = Server.HtmlEncode(r.ReadLine());
        }
    }
}
</script>
<html><head><title>SMTP check</title></head><body>
<h1>SMTP relay check</h1>
<p>Banner: <asp:Label ID="Banner" runat="server" /></p>
</body></html>
