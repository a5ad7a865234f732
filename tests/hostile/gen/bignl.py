"""bignl.py DIR MIB: an IIS W3C log whose header block runs on for MIB MiB of
blank lines before its one data row, a ProxyShell attempt from 203.0.113.11
(the reader's header block, piece by piece, must cost a bounded amount)."""
import os
import sys

out, mib = sys.argv[1], int(sys.argv[2])
d = os.path.join(out, "inetpub", "logs", "LogFiles", "W3SVC1")
os.makedirs(d, exist_ok=True)
head = (b"#Software: Microsoft Internet Information Services 10.0\n#Version: 1.0\n"
        b"#Date: 2021-08-23 00:03:11\n"
        b"#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip "
        b"cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken\n")
row = (b"2021-08-23 02:41:07 10.10.0.25 POST /autodiscover/autodiscover.json "
       b"@evil.example/mapi/nspi/?&Email=autodiscover/autodiscover.json%3F@evil.example 443 - "
       b"203.0.113.11 python-requests/2.26.0 - 401 0 0 15\n")
blank = b"\n" * (1 << 20)
with open(os.path.join(d, "u_ex210823.log"), "wb") as f:
    f.write(head)
    for _ in range(mib):
        f.write(blank)
    f.write(row)
