"""w3c_tail.py DIR MIB: an IIS W3C log with a DateTime column but no date
column and no #Date: line, MIB MiB of rows with one ProxyShell attempt in the
middle, and 64 last lines that read as a header ("DateTime"): the search for
the block date behind the last lines must be one pass."""
import os
import sys

out, mib = sys.argv[1], int(sys.argv[2])
d = os.path.join(out, "inetpub", "logs", "LogFiles", "W3SVC1")
os.makedirs(d, exist_ok=True)
head = (b"#Software: Microsoft Internet Information Services 10.0\n"
        b"#Fields: DateTime s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip "
        b"cs(User-Agent) sc-status\n")
row = b"2021-08-23T00:00:00Z 10.10.0.25 GET /owa/ - 443 - 10.1.1.1 Mozilla/5.0 200\n"
attack = (b"2021-08-23T02:41:07Z 10.10.0.25 POST /autodiscover/autodiscover.json "
          b"@evil.example/mapi/nspi/?&Email=autodiscover/autodiscover.json%3F@evil.example 443 - "
          b"203.0.113.11 python-requests/2.26.0 401\n")
rows = row * ((1 << 20) // len(row))
with open(os.path.join(d, "u_ex210823.log"), "wb") as f:
    f.write(head)
    for i in range(mib):
        f.write(rows)
        if i == mib // 2:
            f.write(attack)
    f.write(b"DateTime\n" * 64)
