#!/usr/bin/env python3
"""run.py EXHUNT [SHARED]: indicator files through the real binary.

1. Every file in SHARED/iocs (the public feeds, default ../shared) is loaded
   with `exhunt scan --ioc FILE` over an empty tree. The files this project
   knows have exact counts per type (below): no domain, regex or YAML line is
   ever taken for a user agent. Any other file there (a feed added later, or
   held back) must load or be refused with a reason, and never give more user
   agents than it has lines shaped like one. Skipped, with a message, when
   SHARED/iocs is absent.
2. Hostile indicator files, made here: a 1 GiB file (sparse: refused unread,
   at once), a 64 MiB line, JSON nested a million deep, billion-laughs YAML
   and XML, invalid UTF-8 in JSON and YAML, JSON of the wrong types, a file of
   NUL bytes. Each gives exit 0/1/2 as expected, a message, and stays within
   the time and peak memory (GNU time) bounds below.

Prints "ok"/"not ok" lines and "ioc: N passed, N failed".
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import time

EXHUNT = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "./exhunt")
SHARED = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared")

# file: (exit code, {type: loaded}, not used, not understood); exit 2 = refused
KNOWN = {
    "cisa-chirp-AA21-062A.yaml": (0, {"ip": 15, "yara": 8}, 2, 0),
    "hvs-proxyshell-2021-09-iocs.csv": (0, {"hash": 10, "ip": 1, "domain": 1, "url": 1, "path": 4, "name": 5}, 4, 0),
    "hvs-proxyshell-2021-09-raw-iocs.txt": (2, {}, 0, 11),
    "mstic-exchange-march2021.csv": (0, {"hash": 45, "domain": 3, "path": 104}, 0, 0),
    "scslabs-hafnium-hashes.txt": (0, {"hash": 8}, 0, 0),
    "scslabs-hafnium-ip-addresses.txt": (0, {"ip": 15}, 0, 0),
    "scslabs-hafnium-useragents.txt": (0, {"user-agent": 15}, 0, 0),
    "scslabs-hafnium-webshell_names.txt": (0, {"name": 14}, 0, 0),
    "scslabs-hafnium-webshell_paths.txt": (0, {}, 9, 0),
    "sigbase-c2-iocs.txt": (0, {"ip": 135, "domain": 1709}, 0, 0),
    "sigbase-filename-iocs.txt": (0, {"regex": 3828}, 0, 0),
    "sigbase-hash-iocs.txt": (0, {"hash": 3224}, 0, 0),
    "volexity-exchange-marauder-indicators.csv": (0, {"ip": 13}, 0, 0),
}

# the project's own samples (tests/ioc-samples, described in its README)
SAMPLES = {
    "chirp/exchange-march-network.yaml": ({"ip": 5, "domain": 4}, 1),
    "chirp/exchange-march-yara.yaml": ({"yara": 1}, 1),
    "misp/proxylogon-event.json": ({"hash": 3, "ip": 2, "domain": 1, "url": 1, "name": 2, "user-agent": 1}, 5),
    "misp/proxynotshell-search.json": ({"hash": 2, "ip": 3, "domain": 2, "url": 1, "name": 1, "user-agent": 1}, 4),
    "openioc/exchange-c2-1.1.ioc": ({"hash": 1, "ip": 1, "domain": 1, "url": 1, "name": 1, "user-agent": 1}, 2),
    "openioc/exchange-webshell-1.0.ioc": ({"hash": 2, "ip": 1, "path": 1, "name": 1, "user-agent": 1}, 2),
    "stix/proxylogon-webshells.json": ({"hash": 1, "ip": 3, "domain": 1, "url": 1, "name": 1, "user-agent": 1}, 5),
    "stix/proxyshell-activity.json": ({"hash": 2, "ip": 2, "domain": 1, "url": 1, "name": 2, "user-agent": 1, "yara": 1}, 2),
}

results = []


def check(ok, what):
    results.append(ok)
    print(("ok - " if ok else "not ok - ") + what)
    return ok


def run(args, cwd, timeout=120):
    """exit code, stdout, stderr, seconds, peak KiB (0 without GNU time)"""
    cmd = [EXHUNT] + args
    peak_file = None
    if os.path.exists("/usr/bin/time"):
        peak_file = os.path.join(cwd, ".peak")
        cmd = ["/usr/bin/time", "-f", "%M", "-o", peak_file] + cmd
    t0 = time.time()
    p = subprocess.run(cmd, cwd=cwd, capture_output=True, timeout=timeout,
                       env=dict(os.environ, EXH_NOW="2026-01-01T00:00:00Z", NO_COLOR="1"))
    secs = time.time() - t0
    peak = 0
    if peak_file and os.path.exists(peak_file):
        try:
            peak = int(open(peak_file).read().strip().splitlines()[-1])
        except ValueError:
            peak = 0
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace"), secs, peak


def feed_of(stdout, name):
    for line in stdout.splitlines():
        try:
            d = json.loads(line)
        except ValueError:
            continue
        if d.get("type") == "summary":
            for f in d.get("indicators", []):
                if f["feed"] == name:
                    return f
    return None


UA_SHAPE = re.compile(r"^(mozilla/|[A-Za-z][\w .+-]*/[vV]?\d)")


def shared_feeds(work):
    d = os.path.join(SHARED, "iocs")
    if not os.path.isdir(d):
        print("# ../shared/iocs is absent: the public feeds are not checked")
        return
    os.makedirs(os.path.join(work, "empty"), exist_ok=True)
    for name in sorted(os.listdir(d)):
        path = os.path.join(d, name)
        if not os.path.isfile(path):
            continue
        rc, out, err, _, _ = run(["scan", "-f", "jsonl", "--ioc", path, "empty"], work)
        feed = feed_of(out, path)
        if name in KNOWN:
            want_rc, want, unused, bad = KNOWN[name]
            if want_rc == 2:
                check(rc == 2 and feed is None and "nothing in it" in err,
                      f"{name}: refused (exit 2), nothing understood")
                continue
            ok = feed is not None
            got = {k: v for k, v in (feed or {}).get("loaded", {}).items() if v}
            ok = ok and got == want and feed["not_used"] == unused and feed["not_understood"] == bad
            check(ok, f"{name}: {want} loaded, {unused} not used, {bad} not understood"
                  + ("" if ok else f" (exit {rc}, got {got} {feed and feed['not_used']} "
                                   f"{feed and feed['not_understood']}; {err.strip()[:300]})"))
        else:
            # a feed this project has not seen: loaded or refused with a reason,
            # and no more user agents than lines shaped like one
            lines = [l.strip() for l in open(path, encoding="utf-8", errors="replace")]
            ua_like = sum(1 for l in lines if l and not l.startswith("#") and UA_SHAPE.match(l))
            if feed is None:
                check(rc == 2 and "--ioc:" in err, f"{name} (not known here): refused with a reason")
            else:
                uas = (feed or {}).get("loaded", {}).get("user-agent", 0)
                check(feed is not None and uas <= ua_like,
                      f"{name} (not known here): loaded {feed and feed.get('loaded')}, "
                      f"{uas} user agents of {ua_like} lines shaped like one")


def samples(work):
    top = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "ioc-samples")
    os.makedirs(os.path.join(work, "empty"), exist_ok=True)
    for rel, (want, unused) in sorted(SAMPLES.items()):
        path = os.path.join(top, rel)
        rc, out, err, _, _ = run(["scan", "-f", "jsonl", "--ioc", path, "empty"], work)
        feed = feed_of(out, path)
        got = {k: v for k, v in (feed or {}).get("loaded", {}).items() if v}
        ok = feed is not None and got == want and feed["not_used"] == unused and feed["not_understood"] == 0
        check(ok, f"sample {rel}: {want}, {unused} not used" + ("" if ok else f" (got {got}; {err.strip()[:200]})"))


def hostile(work):
    os.makedirs(os.path.join(work, "empty"), exist_ok=True)

    def case(name, data, want, msg, secs=20, kib=400 * 1024, sparse=0):
        """want: "refused" (exit 2 before the scan), "loaded" or "either" """
        p = os.path.join(work, name)
        with open(p, "wb") as f:
            if sparse:
                f.truncate(sparse)
            else:
                f.write(data)
        rc, out, err, t, peak = run(["scan", "-f", "jsonl", "--ioc", name, "empty"], work)
        loaded = feed_of(out, name) is not None
        shape = {"refused": not loaded and rc == 2 and "--ioc:" in err, "loaded": loaded,
                 "either": loaded or (rc == 2 and "--ioc:" in err)}[want]
        ok = shape and (msg is None or re.search(msg, err)) and t < secs and (not peak or peak < kib)
        check(bool(ok), f"hostile {name}: {want}, exit {rc} in {t:.1f} s, peak {peak // 1024} MiB"
              + ("" if ok else f"; stderr: {err.strip()[:300]}"))
        os.unlink(p)

    case("huge.txt", b"", "refused", r"over 256 MiB", secs=5, kib=64 * 1024, sparse=1 << 30)
    case("long-line.txt", b"A" * (64 << 20) + b"\n198.51.100.1\n", "loaded", r"line 1: line too long", secs=30)
    case("deep.json", b"[" * 1000000 + b"]" * 1000000, "refused", r"not valid JSON", secs=20)
    case("deep-object.json", b'{"a":' * 200000 + b"1" + b"}" * 200000, "refused", r"not valid JSON", secs=20)
    laughs_yaml = [b"---", b"name: x", b"ioc_type: network", b'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        laughs_yaml.append(b"a%d: &a%d [" % (i, i) + b",".join([b"*a%d" % (i - 1)] * 10) + b"]")
    laughs_yaml.append(b"indicator:\n  ips: *a9\n")
    case("laughs.yaml", b"\n".join(laughs_yaml), "either", None, secs=10, kib=100 * 1024)
    laughs_xml = [b'<?xml version="1.0"?>', b"<!DOCTYPE ioc [", b'<!ENTITY a0 "lol">']
    for i in range(1, 10):
        laughs_xml.append(b'<!ENTITY a%d "%s">' % (i, b"&a%d;" % (i - 1) * 10))
    laughs_xml += [b"]>", b'<ioc xmlns="http://schemas.mandiant.com/2010/ioc"><short_description>&a9;</short_description></ioc>']
    case("laughs.ioc", b"\n".join(laughs_xml), "refused", r"DTD", secs=10, kib=100 * 1024)
    case("bad-utf8.json", b'{"type":"bundle","objects":[{"type":"indicator","pattern":"[ipv4-addr:value = \'\xff\xfe\']"}]}',
         "refused", r"not valid JSON", secs=10)
    case("bad-utf8.yaml", b"---\nname: \"x\xff\"\nioc_type: network\nindicator:\n  ips: |\n    198.51.100.1\n",
         "refused", r"YAML", secs=10)
    case("wrong-types.json", b'{"type":"bundle","objects":[1,"x",null,{"type":"indicator","pattern":7},'
         b'{"type":"indicator","pattern":"[ipv4-addr:value = \'198.51.100.2\']","name":{"x":1},"confidence":"high"}]}',
         "loaded", r"1 ip", secs=10)
    case("nul.txt", b"\0" * 4096, "refused", r"nothing in it|not an indicator", secs=10)
    case("misp-wrong.json", b'{"Event":{"info":5,"Attribute":{"type":"ip-dst"}}}', "either", None, secs=10)
    case("long-url.txt", b"http://" + b"a." * 4000 + b"ex/x\n198.51.100.1\n", "loaded", r"line 1: not", secs=10)
    hostile_scans(work)
    # a pipe (--ioc /dev/stdin, --ioc <(curl ...)): read whole, up to the same bound
    if os.path.exists("/dev/stdin"):
        p = subprocess.run([EXHUNT, "scan", "-f", "jsonl", "--ioc", "/dev/stdin", "empty"], cwd=work,
                           input=b"198.51.100.1\nevil.example\n", capture_output=True, timeout=60)
        check(feed_of(p.stdout.decode(), "/dev/stdin") is not None and b"1 ip, 1 domain" in p.stderr,
              "an indicator list read from a pipe")


def hostile_scans(work):
    """indicator files that would make a scan slow or read what it must not"""
    # a backtracking regex against a path the attacker named: bounded per file
    tree = os.path.join(work, "rx-tree", "inetpub")
    os.makedirs(tree, exist_ok=True)
    for k in range(100):
        open(os.path.join(tree, "a" * 200 + "%02d" % k), "w").close()
    with open(os.path.join(work, "rx.txt"), "w") as f:
        f.write("\\\\inetpub\\\\(a|aa)+[bc];70\n")
    rc, out, err, t, peak = run(["scan", "-f", "jsonl", "--ioc", "rx.txt", "rx-tree"], work)
    check(t < 8 and feed_of(out, "rx.txt") is not None,
          f"a backtracking file-name regex over 100 attacker-named paths: {t:.1f} s")
    # a page made of near-misses of the longest host a URL may have
    os.makedirs(os.path.join(work, "web-tree", "inetpub", "wwwroot"), exist_ok=True)
    host = ("a." * 124) + "ex"
    with open(os.path.join(work, "web-tree", "inetpub", "wwwroot", "p.aspx"), "wb") as f:
        f.write(b"a." * (8 << 20))
    with open(os.path.join(work, "web.txt"), "w") as f:
        f.write(f"http://{host}/x\n{host}\n")
    rc, out, err, t, peak = run(["scan", "-f", "jsonl", "--ioc", "web.txt", "web-tree"], work)
    check(t < 30 and feed_of(out, "web.txt") is not None,
          f"a 16 MiB page of near-misses of a 250-byte listed host: {t:.1f} s")
    # a YARA rule carried by an indicator file may not include a local file
    _, vout, _, _, _ = run(["version"], work)
    if "yara yes" not in vout:
        print("# this exhunt has no libyara: the YARA include case is not run")
        return
    with open(os.path.join(work, "secret.yar"), "w") as f:
        f.write("this is no rule\n")
    bundle = {"type": "indicator", "pattern_type": "yara",
              "pattern": 'include "%s"\nrule x { condition: true }' % os.path.join(work, "secret.yar")}
    with open(os.path.join(work, "inc.json"), "w") as f:
        json.dump(bundle, f)
    rc, out, err, t, peak = run(["scan", "-f", "jsonl", "--ioc", "inc.json", "empty"], work)
    errs = [json.loads(l) for l in out.splitlines() if l.startswith('{"type":"error"')]
    check(any("include" in e["message"] and "syntax error" not in e["message"] and e["path"] == "--ioc"
              for e in errs),
          "a YARA rule with an include: not compiled, the included file never read")


def main():
    if not os.access(EXHUNT, os.X_OK):
        print(f"ioc: no binary at {EXHUNT}")
        return 1
    with tempfile.TemporaryDirectory() as work:
        shared_feeds(work)
        samples(work)
        hostile(work)
    fail = results.count(False)
    print(f"ioc: {len(results) - fail} passed, {fail} failed")
    return 1 if fail else 0


if __name__ == "__main__":
    sys.exit(main())
