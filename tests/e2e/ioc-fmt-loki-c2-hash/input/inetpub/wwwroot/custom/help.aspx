<%@ Page Language="C#" %>
<html><body>see https://notevil-c2.example/help</body></html>
