<!--#include file="inc/footer.inc"-->
<!--#include virtual="/shared/menu.asp"-->
<p>Home</p>
