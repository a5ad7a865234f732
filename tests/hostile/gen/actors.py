"""actors.py DIR N: an IIS W3C log of N ECP __VIEWSTATE probes, each from
its own source address (grouping findings by address must not be quadratic),
and a last probe again from the first address."""
import os
import sys

out, n = sys.argv[1], int(sys.argv[2])
d = os.path.join(out, "inetpub", "logs", "LogFiles", "W3SVC1")
os.makedirs(d, exist_ok=True)
head = ("#Software: Microsoft Internet Information Services 10.0\n#Version: 1.0\n"
        "#Date: 2020-03-02 00:00:00\n"
        "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip "
        "cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken\n")


def probe(i, t):
    ip = "198.%d.%d.%d" % ((i >> 16) & 255, (i >> 8) & 255, i & 255)
    return ("2020-03-02 %s 10.10.0.25 GET /ecp/default.aspx __VIEWSTATE=%%2FwEy 443 - %s "
            "Mozilla/5.0 - 500 0 0 94\n" % (t, ip))


with open(os.path.join(d, "u_ex200302.log"), "w") as f:
    f.write(head)
    for i in range(n):
        f.write(probe(i, "04:27:55"))
    f.write(probe(0, "23:59:59"))
