#!/usr/bin/env python3
"""timesketch.py: every expected output of the e2e suite can be imported into
Timesketch as it is: each JSON Lines finding has a non-empty `message`, an
ISO 8601 `datetime` and a `timestamp_desc`; each CSV report's header names
those three columns and every row fills them. Prints "timesketch: N passed,
N failed"."""
import csv
import glob
import io
import json
import os
import re
import sys

here = os.path.dirname(os.path.abspath(__file__))
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
passed = failed = 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("not ok - " + what)


for path in sorted(glob.glob(os.path.join(here, "*", "expected.jsonl"))):
    case = os.path.basename(os.path.dirname(path))
    n = bad = 0
    with open(path, encoding="utf-8") as f:
        for i, line in enumerate(f, 1):
            d = json.loads(line)
            if d.get("type") != "finding":
                continue
            n += 1
            if not (d.get("message") and ISO.match(d.get("datetime", "")) and d.get("timestamp_desc")):
                bad += 1
                if bad == 1:
                    print("# %s line %d lacks message/datetime/timestamp_desc" % (case, i))
    if n:
        check(bad == 0, "%s: %d of %d findings not importable" % (case, bad, n))

for path in sorted(glob.glob(os.path.join(here, "*", "expected.csv"))):
    case = os.path.basename(os.path.dirname(path))
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(io.StringIO(f.read())))
    ok = all(r.get("message") and ISO.match(r.get("datetime") or "") and r.get("timestamp_desc")
             for r in rows)
    check(ok and rows is not None, "%s: CSV rows lack message/datetime/timestamp_desc" % case)

print("timesketch: %d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
