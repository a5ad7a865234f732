<%@ Page Language="C#" %>
<%@ Import Namespace="System.Data.SqlClient" %>
<%
string term = Request.QueryString["q"] ?? "";
using (var conn = new SqlConnection(System.Configuration.ConfigurationManager.ConnectionStrings["shop"].ConnectionString)) {
    conn.Open();
    var cmd = new SqlCommand("SELECT Name FROM Products WHERE Name LIKE @t", conn);
    cmd.Parameters.AddWithValue("@t", "%" + term + "%");
    var rd = cmd.ExecuteReader();
    while (rd.Read()) Response.Write(Server.HtmlEncode(rd.GetString(0)) + "<br/>");
}
%>
