<%@ Page Language="C#" %>
<html>
<head><title>Help</title></head>
<body>
<h1>Intranet help</h1>
<ul>
<li>Password reset: call the service desk on extension 4400.</li>
<li>Room booking: use the Rooms page.</li>
</ul>
</body>
</html>
