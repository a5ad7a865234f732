<%@ Page Language="c#" AutoEventWireup="false" Inherits="Microsoft.Exchange.HttpProxy.ErrorFE" %>
<!DOCTYPE html>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
<title><%=Strings.GetLocalizedString(Strings.IDs.ErrorTitle)%></title>
<style>body { font-family: "Segoe UI", Tahoma, sans-serif; color: #333; }</style>
</head>
<body>
<div class="errorHeader"><%=Strings.GetLocalizedString(Strings.IDs.ErrorHeader)%></div>
<div class="errorDetails">
    <%=HttpUtility.HtmlEncode(ErrorMessage)%>
    <% if (ShowDetails) { %>
    <br />X-ClientId: <%=HttpUtility.HtmlEncode(Request.Headers["X-ClientId"] ?? "")%>
    <br />request-id: <%=HttpUtility.HtmlEncode(RequestId)%>
    <br />X-OWA-Error: <%=HttpUtility.HtmlEncode(Request.QueryString["httpCode"] ?? "")%>
    <% } %>
</div>
<a href="/owa/">Refresh the page</a>
</body>
</html>
