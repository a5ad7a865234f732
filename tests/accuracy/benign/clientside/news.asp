<%
Dim page, pageSize
page = Request.QueryString("page")
If IsNumeric(page) And page <> "" Then page = CInt(page) Else page = 1
If page < 1 Then page = 1
pageSize = 10
%>
<html><body>
<h1>Archive, page <%= page %></h1>
<script type="text/vbscript">
Sub window_onload()
    MsgBox "Loaded"
End Sub
</script>
<script>
  var q = document.location.search;
  if (q.indexOf("print=1") > 0) window.print();
</script>
<a href="news.asp?page=<%= page + 1 %>">Next</a>
</body></html>
