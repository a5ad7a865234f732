<%@ Page Language="C#" AutoEventWireup="true" %>
<html>
<head><title>Signed out</title></head>
<body>
<p>Your session timed out and you have been signed out. Close all browser windows to finish.</p>
</body>
</html>
