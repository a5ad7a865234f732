<%@ Page Language="C#" AutoEventWireup="true" CodeFile="Upload.aspx.cs" Inherits="Intranet.UploadPage" %>
<!DOCTYPE html>
<html>
<head runat="server"><title>Send a document</title></head>
<body>
<form id="up" runat="server" enctype="multipart/form-data">
<p>PDF, Word or Excel, up to 10 MB.</p>
<asp:FileUpload ID="Doc" runat="server" />
<asp:Button ID="Send" runat="server" Text="Send" OnClick="Send_Click" />
<p><asp:Label ID="Msg" runat="server" /></p>
</form>
</body>
</html>
