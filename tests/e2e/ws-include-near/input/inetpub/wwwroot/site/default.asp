<!--#include file="inc/header.inc"-->
<!--#include virtual="/site/inc/menu.asp"-->
<p>Welcome</p>
<!--#include file="inc/footer.inc"-->
