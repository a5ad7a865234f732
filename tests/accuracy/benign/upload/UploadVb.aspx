<%@ Page Language="VB" %>
<%@ Import Namespace="System.IO" %>
<script runat="server">
Protected Sub btnSave_Click(sender As Object, e As EventArgs)
    If Not FileUpload1.HasFile Then
        lblInfo.Text = "No file."
        Exit Sub
    End If
    If Path.GetExtension(FileUpload1.FileName).ToLower() <> ".pdf" Then
        lblInfo.Text = "Only PDF files are accepted."
        Exit Sub
    End If
    If FileUpload1.PostedFile.ContentLength > 5242880 Then
        lblInfo.Text = "Too large."
        Exit Sub
    End If
    FileUpload1.SaveAs(Server.MapPath("~/Docs/") & Guid.NewGuid().ToString() & ".pdf")
    lblInfo.Text = "Saved."
End Sub
</script>
<html><body><form runat="server">
<asp:FileUpload ID="FileUpload1" runat="server" />
<asp:Button ID="btnSave" runat="server" Text="Save" OnClick="btnSave_Click" />
<asp:Label ID="lblInfo" runat="server" />
</form></body></html>
