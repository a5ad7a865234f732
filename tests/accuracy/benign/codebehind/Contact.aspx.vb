Imports System.Net.Mail

Partial Class Contact
    Inherits System.Web.UI.Page

    Protected Sub Page_Load(ByVal sender As Object, ByVal e As EventArgs) Handles Me.Load
        If Not IsPostBack AndAlso Request.QueryString("topic") IsNot Nothing Then
            txtBody.Text = "About: " & Request.QueryString("topic")
        End If
    End Sub

    Protected Sub btnSend_Click(ByVal sender As Object, ByVal e As EventArgs) Handles btnSend.Click
        Dim msg As New MailMessage("web@contoso.com", "sales@contoso.com")
        msg.Subject = "Contact form: " & Request.Form("txtName")
        msg.Body = txtBody.Text & vbCrLf & "Reply to: " & txtMail.Text
        Using smtp As New SmtpClient("smtp.contoso.com", 25)
            smtp.Send(msg)
        End Using
        lblResult.Text = "Thank you, we will get back to you."
    End Sub
End Class
