"""forwarded.py DIR MODE [N]: an IIS log (with an X-Forwarded-For column)
of N ordinary requests (OWA, EWS and ECP pages) and one ProxyShell attempt (autodiscover.json
with '@' and a back-end path, answered 401), for the source-address cases:
  spoof    behind a balancer at 10.10.0.5 that appends X-Forwarded-For; the
           client put 10.0.0.1 in front of its own address 203.0.113.11
  direct   the client 203.0.113.11 connects itself and claims 10.0.0.1
  hidden   behind a balancer at 10.10.0.5 that adds no header: everything,
           the attempt too, comes from 10.10.0.5
  admin    clients connect themselves; the attempt comes from 10.1.1.1
  public   behind a public reverse proxy 198.51.100.2 (needs
           --trusted-proxy) that appends the client 203.0.113.11
  hidespoof  as hidden, and the attacker sends X-Forwarded-For: 10.0.0.1
           itself (the balancer passes it on)
  noconn   a log without a c-ip column: only the client-writable header
           names anyone, and the attacker's says 10.0.0.1"""
import os
import sys

out, mode = sys.argv[1], sys.argv[2]
n = int(sys.argv[3]) if len(sys.argv) > 3 else 200
d = os.path.join(out, "inetpub", "logs", "LogFiles", "W3SVC1")
os.makedirs(d, exist_ok=True)
hdr = ("#Software: Microsoft Internet Information Services 10.0\n#Version: 1.0\n"
       "#Date: 2021-08-23 00:00:00\n#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query "
       "s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus "
       "sc-win32-status time-taken X-Forwarded-For\n")
attack_q = "@evil.example/mapi/nspi/?&Email=autodiscover/autodiscover.json%3F@evil.example"
rows = []
for i in range(n):
    client = "198.51.100.%d" % (10 + i % 200)
    conn, xff = {
        "spoof": ("10.10.0.5", client),
        "direct": (client, "-"),
        "hidden": ("10.10.0.5", "-"),
        "hidespoof": ("10.10.0.5", "-"),
        "noconn": (client, "-"),
        "admin": (client, "-"),
        "public": ("198.51.100.2", "203.0.113.%d" % (20 + i % 50)),
    }[mode]
    page = ("/owa/auth/logon.aspx", "/EWS/Exchange.asmx", "/ecp/default.aspx")[i % 3]
    rows.append("2021-08-23 01:%02d:%02d 10.10.0.25 GET %s - 443 - %s Mozilla/5.0 - 200 0 0 5 %s\n"
                % (i // 60 % 60, i % 60, page, conn, xff))
conn, xff = {
    "spoof": ("10.10.0.5", "10.0.0.1,+203.0.113.11"),
    "direct": ("203.0.113.11", "10.0.0.1"),
    "hidden": ("10.10.0.5", "-"),
    "hidespoof": ("10.10.0.5", "10.0.0.1"),
    "noconn": ("203.0.113.11", "10.0.0.1"),
    "admin": ("10.1.1.1", "-"),
    "public": ("198.51.100.2", "203.0.113.11"),
}[mode]
rows.append("2021-08-23 02:41:07 10.10.0.25 POST /autodiscover/autodiscover.json %s 443 - %s "
            "python-requests/2.26.0 - 401 0 0 15 %s\n" % (attack_q, conn, xff))
if mode == "noconn":  # drop the c-ip field (the 9th) from the header and every row
    hdr = hdr.replace(" c-ip", "")
    rows = [" ".join(r.split(" ")[:8] + r.split(" ")[9:]) for r in rows]
with open(os.path.join(d, "u_ex210823.log"), "w") as f:
    f.write(hdr + "".join(rows))
