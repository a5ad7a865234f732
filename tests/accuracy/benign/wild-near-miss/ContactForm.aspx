<%@ Page Language="C#" %>
<script runat="server">
void Send_Click(object sender, EventArgs e)
{
    string path = Server.MapPath("~/App_Data/messages.txt");
    System.IO.File.AppendAllText(path, Server.HtmlEncode(MessageBox.Text) + "\n");
    Thanks.Visible = true;
}
</script>
<form runat="server">
<asp:TextBox ID="MessageBox" runat="server" TextMode="MultiLine" />
<asp:Button ID="Send" runat="server" Text="Send" OnClick="Send_Click" />
<asp:Label ID="Thanks" runat="server" Visible="false" Text="Thank you" />
</form>
