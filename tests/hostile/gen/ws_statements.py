"""ws_statements.py DIR K: two pages in aspnet_client whose statements make the
web-shell analysis (det_webshell.c) do as much work as they can, each ending
in a real shell that must be found:
- inits.aspx: one statement of K initializers "a=1," (the target of each
  was looked for from the statement's start: 40,000 took 45 s);
- grow.aspx: K/4 statements x = x + "<%eval(" (every value is code, analysed
  as nested code; each nested analysis had an allowance of its own: 15 s)."""
import os
import sys

out, k = sys.argv[1], int(sys.argv[2])
d = os.path.join(out, "inetpub", "wwwroot", "aspnet_client", "system_web")
os.makedirs(d, exist_ok=True)
shell = 'eval(Request.Form["c"], "unsafe");'
with open(os.path.join(d, "inits.aspx"), "w") as f:
    f.write('<%@ Page Language="C#" %>\n<% int ' + "a=1," * k + "b=2; " + shell + " %>\n")
with open(os.path.join(d, "grow.aspx"), "w") as f:
    f.write('<%@ Page Language="C#" %>\n<% var x = "a"; ' + 'x = x + "<%eval("; ' * (k // 4) +
            shell + " %>\n")
