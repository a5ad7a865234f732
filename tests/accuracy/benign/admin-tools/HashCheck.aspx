<%@ Page Language="C#" %>
<%@ Import Namespace="System.Security.Cryptography" %>
<script runat="server">
// Shows the MD5 of an uploaded installer so it can be compared with the vendor's list.
protected void Page_Load(object sender, EventArgs e)
{
    HttpPostedFile f = Request.Files["pkg"];
    if (f == null || f.ContentLength == 0) return;
    byte[] h = MD5.Create().ComputeHash(f.InputStream);
    string hex = BitConverter.ToString(h).Replace("-", "");
    lblHash.Text = hex;
    lblMatch.Text = hex == "A1276D0F7F2466602A7321B670C0F90A" ? "matches release 7.2" : "unknown build";
}
</script>
<html><body><form runat="server" enctype="multipart/form-data">
<input type="file" name="pkg" /><input type="submit" value="Hash" />
MD5: <asp:Label ID="lblHash" runat="server" /> <asp:Label ID="lblMatch" runat="server" />
</form></body></html>
