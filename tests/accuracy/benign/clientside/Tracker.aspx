<%@ Page Language="C#" %>
<html>
<head>
<title><%= Server.HtmlEncode(Request.QueryString["campaign"] ?? "Offer") %></title>
<script type="text/javascript">
var _0x9c1e=['\x72\x65\x66','\x73\x72\x63','img'];
(function(){var i=document.createElement(_0x9c1e[2]);i[_0x9c1e[1]]='/px.gif?'+_0x9c1e[0]+'='+encodeURIComponent(document.referrer)+'&c=<%= HttpUtility.JavaScriptStringEncode(Request.QueryString["campaign"] ?? "") %>';document.body.appendChild(i);})();
var label = String.fromCharCode(79, 102, 102, 101, 114);
</script>
</head>
<body><h1>Special offer</h1></body>
</html>
