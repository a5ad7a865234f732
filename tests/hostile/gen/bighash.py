"""bighash.py DIR N: an applicationHost.config just over 64 MiB (too big to
be hashed up front) with N virtual directories under ProgramData: N
findings, each carrying the file's SHA-256, which must be computed once."""
import os
import sys

out, n = sys.argv[1], int(sys.argv[2])
d = os.path.join(out, "Windows", "System32", "inetsrv", "config")
os.makedirs(d, exist_ok=True)
entry = b'<virtualDirectory path="/v%d" physicalPath="C:\\ProgramData\\v%d" />\n'
with open(os.path.join(d, "applicationHost.config"), "wb") as f:
    f.write(b"<configuration>\n")
    for i in range(n):
        f.write(entry % (i, i))
    pad = b" " * (1 << 20)
    for _ in range(65):
        f.write(pad)
    f.write(b"</configuration>\n")
