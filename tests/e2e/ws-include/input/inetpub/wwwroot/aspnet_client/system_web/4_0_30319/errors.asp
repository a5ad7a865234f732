<!--#include file="logo.gif"-->
<html><body>Service unavailable</body></html>
