#!/usr/bin/env python3
"""bench/probe.py EXHUNT REPORT.md: one `exhunt probe` run against N loopback
endpoints (tests/probe/server.py scale: 127.0.1.1 onwards, SILENT of them
accept and never answer, the others a patched or an unpatched Exchange),
over plain HTTP and over TLS. Checks that every endpoint is classified as
server.py meant, and writes the wall time, CPU time and peak memory (GNU
time) to REPORT.md. Timing is reported, not judged: it is not a test.
N (default 1000), SILENT (100), PARALLEL (256), TIMEOUT (5) from the
environment."""
import os
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time

here = os.path.dirname(os.path.abspath(__file__))
server = os.path.join(here, "..", "tests", "probe", "server.py")
exhunt, report = os.path.abspath(sys.argv[1]), sys.argv[2]
n = int(os.environ.get("N", "1000"))
silent = int(os.environ.get("SILENT", "100"))
parallel = int(os.environ.get("PARALLEL", "256"))
timeout = int(os.environ.get("TIMEOUT", "5"))


def run(mode):
    d = tempfile.mkdtemp(prefix="exh-probe-bench.")
    srv = subprocess.Popen([sys.executable, server, "scale", d, str(n), str(silent), mode],
                           stderr=subprocess.PIPE)
    try:
        for _ in range(600):
            if os.path.exists(os.path.join(d, "ready")) or srv.poll() is not None:
                break
            time.sleep(0.1)
        if not os.path.exists(os.path.join(d, "ready")):
            sys.exit("bench/probe.py: the server did not start: " + srv.stderr.read().decode())
        targets = os.path.join(d, "targets")
        expected = open(os.path.join(d, "expected")).read().split()
        cmd = ["/usr/bin/time", "-v", exhunt, "probe", "--parallel", str(parallel), "--timeout",
               str(timeout), "--connect-timeout", str(timeout), "-f", "jsonl", "@" + targets]
        env = dict(os.environ, EXH_NOW="2026-12-01T00:00:00Z")
        t0 = time.monotonic()
        p = subprocess.run(cmd, capture_output=True, env=env)
        wall = time.monotonic() - t0
        got = {}
        for line in p.stdout.decode().splitlines():
            r = json.loads(line)
            if r["type"] == "target":
                got[r["exhunt"]["target"]] = r["exhunt"]["verdict"]
        urls = open(targets).read().split()
        wrong = [(u, e, got.get(u)) for u, e in zip(urls, expected) if got.get(u) != e]
        err = p.stderr.decode()
        rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", err).group(1))
        user = float(re.search(r"User time \(seconds\): ([\d.]+)", err).group(1))
        sys_ = float(re.search(r"System time \(seconds\): ([\d.]+)", err).group(1))
        return dict(mode=mode, wall=wall, rss=rss, cpu=user + sys_, wrong=wrong, rc=p.returncode,
                    counts=", ".join(f"{expected.count(v)} {v}" for v in ("EXPOSED", "CLEAN", "INCOMPLETE")))
    finally:
        srv.terminate()
        srv.wait()
        shutil.rmtree(d, ignore_errors=True)


results = [run("http"), run("tls")]
with open(report, "w") as f:
    f.write("# `exhunt probe` at scale\n\n")
    f.write(f"Made by `make bench` (bench/probe.py) on {time.strftime('%Y-%m-%d')}: one "
            f"`exhunt probe --parallel {parallel} --timeout {timeout} --connect-timeout "
            f"{timeout}` run against {n} loopback endpoints (tests/probe/server.py scale, one "
            f"asyncio process), {silent} of which accept and never answer. The others are a "
            "patched Exchange SE (1 request) or an Exchange 2016 CU23 Nov22SU that shows its "
            "build only in the export tool manifest (3 requests). Machine: "
            f"{os.cpu_count()} CPUs, shared; the server runs on the same CPUs.\n\n")
    f.write("| transport | endpoints | misclassified | exit | wall s | CPU s | peak RSS MiB |\n")
    f.write("|---|---|---|---|---|---|---|\n")
    for r in results:
        f.write(f"| {r['mode']} | {n}: {r['counts']} | {len(r['wrong'])} | {r['rc']} | "
                f"{r['wall']:.1f} | {r['cpu']:.1f} | {r['rss'] / 1024:.1f} |\n")
    f.write(f"\nThe silent endpoints end at the {timeout} s timeout, so the wall time is "
            f"bounded below by it; the bound the issue sets is the timeout plus a few seconds.\n")
    for r in results:
        for w in r["wrong"][:20]:
            f.write(f"\n- {r['mode']}: {w[0]} expected {w[1]}, got {w[2]}")
print(open(report).read())
sys.exit(1 if any(r["wrong"] for r in results) else 0)
