<%@ Page Language="C#" %>
<!DOCTYPE html>
<html>
<head><title>Welcome</title></head>
<body>
    <h1>Hello, <%: Request.QueryString["name"] ?? "visitor" %>!</h1>
    <p>Server time: <%= DateTime.Now.ToString("u") %></p>
    <p>Your address: <%= Server.HtmlEncode(Request.UserHostAddress) %></p>
    <% if (Request.IsAuthenticated) { %>
        <a href="Account/Profile.aspx">Profile</a>
    <% } else { %>
        <a href="Account/Login.aspx?ReturnUrl=<%= Server.UrlEncode(Request.RawUrl) %>">Log in</a>
    <% } %>
</body>
</html>
