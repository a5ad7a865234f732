#!/usr/bin/env python3
"""parity.py EXHUNT: exhunt's .evtx reader against Debian's evtxexport on every public
sample in ../shared/evtx-samples (attack/, conformance/, sigma/), file by file.

For each file: exhunt must not crash (exit 0-2, a summary line), must read at least as
many records as evtxexport, and for every record both read (matched by record id and
time) the event id, the time (to the millisecond), the channel, the provider and the
EventData values must agree. Values are compared as text after the two tools'
spelling differences are taken out: evtxexport writes GUIDs in braces and times with
100 ns digits, XML-escapes text and writes numbers of some types in hex.

When evtxexport is not installed the record counts are compared with
tests/evtx/evtxexport-counts.tsv (made by `parity.py EXHUNT --record`, committed), and
the field checks are skipped. Skips with a message when ../shared is absent. Prints one
line per file and then "evtx-parity: N passed, N failed". Standard library only."""
import html
import json
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.join(HERE, "..", "..", "..", "shared", "evtx-samples")
COUNTS = os.path.join(HERE, "evtxexport-counts.tsv")
SETS = ("attack", "conformance", "sigma")

EVENT = re.compile(r"<Event [^>]*>(.*?)</Event>", re.S)
FIELD = {
    "record": re.compile(r"<EventRecordID>(\d+)</EventRecordID>"),
    "event_id": re.compile(r"<EventID[^>]*>(\d+)</EventID>"),
    "time": re.compile(r'<TimeCreated SystemTime="([^"]*)"'),
    "channel": re.compile(r"<Channel>(.*?)</Channel>", re.S),
    "provider": re.compile(r'<Provider Name="([^"]*)"'),
}
DATA = re.compile(r'<Data Name="([^"]*)"\s*(?:/>|>(.*?)</Data>)', re.S)


def files():
    out = []
    for s in SETS:
        d = os.path.join(SHARED, s)
        for root, _, names in os.walk(d):
            for n in names:
                if n.lower().endswith(".evtx"):
                    out.append(os.path.join(root, n))
    return sorted(out)


def norm(v):
    v = html.unescape(v or "").strip()
    if len(v) == 38 and v.startswith("{") and v.endswith("}"):
        v = v[1:-1]
    return v.replace("\r\n", "\n")


def theirs(path):
    r = subprocess.run(["evtxexport", "-f", "xml", path], stdout=subprocess.PIPE,
                       stderr=subprocess.DEVNULL, check=False)
    text = r.stdout.decode("utf-8", "replace")
    recs = []
    for m in EVENT.finditer(text):
        body = m.group(1)
        rec = {}
        for k, rx in FIELD.items():
            f = rx.search(body)
            rec[k] = html.unescape(f.group(1)) if f else None
        ed = body.split("<EventData>", 1)
        rec["data"] = {n: norm(v) for n, v in DATA.findall(ed[1])} if len(ed) == 2 else None
        recs.append(rec)
    return recs


def ours(exhunt, path):
    r = subprocess.run([exhunt, "evtx", "-j", "1", path], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, check=False)
    recs, summary = [], None
    for line in r.stdout.decode("utf-8", "replace").splitlines():
        try:
            o = json.loads(line)
        except ValueError:
            continue
        if o.get("type") == "record":
            recs.append(o)
        elif o.get("type") == "summary":
            summary = o
    return r.returncode, recs, summary


def ms(t):
    """'2020-10-23T21:57:29.217562500Z' or '...29.217Z' -> '2020-10-23T21:57:29.217'"""
    if not t:
        return None
    m = re.match(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?", t)
    return m.group(1) + "." + (m.group(2) or "0").ljust(3, "0")[:3] if m else t


HEX = re.compile(r"0x[0-9a-fA-F]+$")
ISO = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")


def same_value(mine, v):
    """Equal as the same value: text, or a number written with other padding (evtxexport
    pads hex to the type's width, exhunt writes it as Windows' event viewer does), or a
    time to the millisecond."""
    if mine == v or mine.lower() == v.lower():
        return True
    # an entity reference in the binary XML (&gt;) that one tool resolves and the other
    # keeps escaped in its XML output
    if html.unescape(mine) == html.unescape(v):
        return True
    if HEX.match(mine) and HEX.match(v):
        return int(mine, 16) == int(v, 16)
    if HEX.match(v) and mine.isdigit():
        return int(v, 16) == int(mine)
    if HEX.match(mine) and v.isdigit():
        return int(mine, 16) == int(v)
    try:  # reals: 3199.23 and 3.199234e+003
        x, y = float(mine), float(v)
        return abs(x - y) <= 1e-4 * max(abs(x), abs(y), 1.0)
    except ValueError:
        pass
    if ISO.match(mine) and ISO.match(v):
        return ms(mine) == ms(v)
    return False


def compare(a, b):
    """Differences between our record a and evtxexport's b (a list of strings)."""
    diffs = []
    if str(a.get("event_id")) != (b["event_id"] or str(a.get("event_id"))):
        diffs.append("event id %s vs %s" % (a.get("event_id"), b["event_id"]))
    if b["time"] and ms(a.get("time")) != ms(b["time"]):
        diffs.append("time %s vs %s" % (a.get("time"), b["time"]))
    if b["channel"] is not None and (a.get("channel") or "") != norm(b["channel"]):
        diffs.append("channel %r vs %r" % (a.get("channel"), b["channel"]))
    if b["provider"] is not None and (a.get("provider") or "") != b["provider"]:
        diffs.append("provider %r vs %r" % (a.get("provider"), b["provider"]))
    if b["data"] and isinstance(a.get("data"), dict):
        for name, v in b["data"].items():
            mine = norm(str(a["data"].get(name, "")))
            if not same_value(mine, v):
                diffs.append("%s %r vs %r" % (name, mine[:60], v[:60]))
    return diffs


def main():
    if len(sys.argv) < 2:
        sys.stderr.write("usage: parity.py EXHUNT [--record]\n")
        return 2
    exhunt = os.path.abspath(sys.argv[1])
    record = "--record" in sys.argv[2:]
    if not os.path.isdir(SHARED):
        print("# skip: %s is missing (the public samples live in ../shared)" % SHARED)
        print("evtx-parity: 0 passed, 0 failed")
        return 0
    have = shutil.which("evtxexport") is not None
    if record and not have:
        sys.stderr.write("parity.py: --record needs evtxexport\n")
        return 2
    counts = {}
    if not have and os.path.exists(COUNTS):
        with open(COUNTS, encoding="utf-8") as f:
            for line in f:
                if line.startswith("#") or not line.strip():
                    continue
                name, n = line.rstrip("\n").rsplit("\t", 1)
                counts[name] = int(n)
    recorded = []
    passed = failed = 0
    tot_ours = tot_theirs = 0
    for path in files():
        rel = os.path.relpath(path, SHARED)
        rc, mine, summary = ours(exhunt, path)
        problems = []
        if rc not in (0, 1, 2) or summary is None:
            problems.append("exhunt evtx exited %d without a summary" % rc)
        if have:
            other = theirs(path)
            n_theirs = len(other)
            recorded.append((rel, n_theirs))
            by_id = {}
            for r in mine:
                by_id.setdefault(str(r.get("record_id")), []).append(r)
            checked = 0
            for b in other:
                cands = by_id.get(b["record"] or "", [])
                a = next((c for c in cands if ms(c.get("time")) == ms(b["time"])), cands[0] if cands else None)
                if a is None:
                    continue
                d = compare(a, b)
                checked += 1
                if d and len(problems) < 3:
                    problems.append("record %s: %s" % (b["record"], "; ".join(d[:3])))
        else:
            n_theirs = counts.get(rel)
        tot_ours += len(mine)
        tot_theirs += n_theirs or 0
        if n_theirs is not None and len(mine) < n_theirs:
            problems.insert(0, "%d records, evtxexport %d" % (len(mine), n_theirs))
        if problems:
            failed += 1
            print("not ok - %s: %s" % (rel, " | ".join(problems)))
        else:
            passed += 1
            print("ok - %s: %d records (evtxexport %s)" % (rel, len(mine), n_theirs))
    if record:
        with open(COUNTS, "w", encoding="utf-8") as f:
            f.write("# records evtxexport (libevtx-utils 20181227) reads in each public sample,\n"
                    "# for parity.py where evtxexport is not installed\n")
            for rel, n in recorded:
                f.write("%s\t%d\n" % (rel, n))
    print("# records: exhunt %d, evtxexport %d over %d files" % (tot_ours, tot_theirs, passed + failed))
    print("evtx-parity: %d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
