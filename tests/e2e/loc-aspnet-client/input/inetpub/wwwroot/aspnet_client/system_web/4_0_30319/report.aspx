<html>
<head><title>Mail flow report</title></head>
<body>
<h1>Monthly mail-flow report</h1>
<p>The report for February is attached to the IT newsletter.</p>
</body>
</html>
