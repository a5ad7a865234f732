#!/usr/bin/env python3
"""make_archive_cases.py: the end-to-end cases about archives read in place
(tests/e2e/arc-*/input and args), made from the bundled example server
(examples/compromised, written by make_fixtures.py). Deterministic: zips get
fixed dates and gzip streams a fixed time, so a second run gives the same
bytes. Like make_fixtures.py it owns only input/ and args of its cases; the
expectations are made with `UPDATE=1 make e2e` and reviewed."""
import gzip
import io
import os
import shutil
import urllib.parse
import zipfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
EX = os.path.join(ROOT, "examples", "compromised")
E2E = os.path.join(ROOT, "tests", "e2e")
V15 = "Program Files/Microsoft/Exchange Server/V15"
IIS = "inetpub/logs/LogFiles/W3SVC1/u_ex210303.log"
ECP = V15 + "/Logging/HttpProxy/Ecp/HttpProxy_2021030302-1.LOG"
SHELL = V15 + "/FrontEnd/HttpProxy/owa/auth/OutlookJP2.aspx"
DATE = (2021, 3, 3, 12, 0, 0)


def src(rel):
    with open(os.path.join(EX, rel), "rb") as f:
        return f.read()


def case(name, args):
    d = os.path.join(E2E, name)
    shutil.rmtree(os.path.join(d, "input"), ignore_errors=True)
    os.makedirs(os.path.join(d, "input"))
    with open(os.path.join(d, "args"), "w") as f:
        f.write(args + "\n")
    return os.path.join(d, "input")


def put(base, rel, data):
    p = os.path.join(base, rel)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "wb") as f:
        f.write(data)


def zipped(members):
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            z.writestr(zipfile.ZipInfo(name, DATE), data, zipfile.ZIP_DEFLATED)
    return b.getvalue()


def gzipped(name, data):
    b = io.BytesIO()
    with gzip.GzipFile(filename=name, mode="wb", fileobj=b, mtime=1614772800) as g:
        g.write(data)
    return b.getvalue()


def main():
    # the IIS log zipped as a daily cleanup task keeps it, an HttpProxy log gzipped
    inp = case("arc-logs-packed", "scan -f jsonl input")
    put(inp, IIS[:-4] + ".zip", zipped([("u_ex210303.log", src(IIS))]))
    put(inp, ECP + ".gz", gzipped(os.path.basename(ECP), src(ECP)))
    # the same, in the text report
    inp = case("arc-logs-packed-text", "scan -f text input")
    put(inp, IIS[:-4] + ".zip", zipped([("u_ex210303.log", src(IIS))]))
    put(inp, ECP + ".gz", gzipped(os.path.basename(ECP), src(ECP)))
    # a Velociraptor offline collection: names URL-encoded under uploads/auto/
    inp = case("arc-velociraptor", "scan -f jsonl input/Collection-EXCH01-2021-03-10.zip")
    members = [("collection_context.json", b'{"session_id":"F.C0FFEE"}\n'), ("uploads.json", b"[]\n")]
    for rel in (ECP, SHELL, IIS):
        enc = "/".join(urllib.parse.quote(c, safe="") for c in ("C:/" + rel).split("/"))
        members.append(("uploads/auto/" + enc, src(rel)))
    put(inp, "Collection-EXCH01-2021-03-10.zip", zipped(members))
    # logs kept as 7-Zip: not read, and the verdict cannot be CLEAN
    inp = case("arc-unreadable", "scan -f jsonl input")
    put(inp, "inetpub/logs/LogFiles/W3SVC1/u_ex210303.7z", b"7z\xbc\xaf\x27\x1c\x00\x04" + bytes(64))
    put(inp, "ProgramData/tools.7z", b"7z\xbc\xaf\x27\x1c\x00\x04" + bytes(32))
    # near miss: an archive exhunt cannot read, named unlike logs: an info record, CLEAN
    inp = case("arc-unreadable-near", "scan -f text input")
    put(inp, "Users/admin/Downloads/tools.7z", b"7z\xbc\xaf\x27\x1c\x00\x04" + bytes(32))
    put(inp, "Users/admin/Downloads/readme.txt", b"nothing here\r\n")


if __name__ == "__main__":
    main()
