<%@ WebHandler Language="VB" Class="Ping" %>
Imports System.Web

Public Class Ping
    Implements IHttpHandler

    Public Sub ProcessRequest(ByVal context As HttpContext) Implements IHttpHandler.ProcessRequest
        context.Response.ContentType = "text/plain"
        Dim echo As String = context.Request.QueryString("echo")
        If echo IsNot Nothing AndAlso echo.Length <= 32 Then
            context.Response.Write("pong " & HttpUtility.HtmlEncode(echo))
        Else
            context.Response.Write("pong " & DateTime.UtcNow.ToString("o"))
        End If
    End Sub

    Public ReadOnly Property IsReusable() As Boolean Implements IHttpHandler.IsReusable
        Get
            Return True
        End Get
    End Property
End Class
