<html>
<head><title>Maintenance</title></head>
<body>
<p>The Exchange admin center is being updated. Please try again after 18:00.</p>
</body>
</html>
