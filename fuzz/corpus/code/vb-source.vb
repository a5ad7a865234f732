Imports System.Net.Sockets
Public Class Tunnel
  Sub Run(ByVal ctx As System.Web.HttpContext)
    Dim host As String = ctx.Request("h") : Dim c As New TcpClient()
    c.Connect(host, 443) ' a comment
    REM done
  End Sub
End Class
