<!--#include file="images/logo-small.gif"-->
<html><body>Welcome</body></html>
