<%@ Page Language="C#" %>
<%@ Import Namespace="System.Data.SqlClient" %>
<%
string term = Request.QueryString["q"] ?? "";
using (var c = new SqlConnection(System.Configuration.ConfigurationManager.ConnectionStrings["main"].ConnectionString)) {
    c.Open();
    var cmd = new SqlCommand("SELECT Name FROM Products WHERE Name LIKE @t", c);
    cmd.Parameters.AddWithValue("@t", "%" + term + "%");
    var r = cmd.ExecuteReader();
    while (r.Read()) Response.Write(Server.HtmlEncode(r.GetString(0)) + "<br/>");
}
%>
