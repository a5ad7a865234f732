<html>
<head><title>OK</title></head>
<body><p>OK</p></body>
</html>
