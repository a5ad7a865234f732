#!/usr/bin/env python3
"""bench/html.py EXHUNT REPORT.md: the HTML report of a busy server, N findings
(default 100,000) in two scenarios of tests/html/gen_trees.py: "busy" (probes,
each from its own address, folded) and "exploits" (exploitation findings,
never folded), written by `exhunt scan -f html` and loaded in
headless Chromium over the DevTools protocol (tests/html/cdp.py). Writes to
REPORT.md: the scan's wall time, the page's size, the page's load time (the
navigation's load event, median of RUNS loads, default 5) and how many
entries and timeline marks the page holds. Timing is reported, not judged: it
is not a test. Skips (writes nothing) when chromium is absent."""
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "tests", "html"))
from cdp import Browser, find_chromium  # noqa: E402

exhunt, report = os.path.abspath(sys.argv[1]), sys.argv[2]
n = int(os.environ.get("N", "100000"))
runs = int(os.environ.get("RUNS", "5"))


def measure(chromium, d, kind):
    """One scenario: scan wall time, page size, load times and what the page holds."""
    tree, page = os.path.join(d, kind), os.path.join(d, kind + ".html")
    gen = os.path.join(here, "..", "tests", "html", "gen_trees.py")
    subprocess.run([sys.executable, gen, kind, tree, str(n)], check=True)
    t0 = time.monotonic()
    rc = subprocess.run([exhunt, "scan", "-f", "html", "-o", page, tree]).returncode
    scan_s = time.monotonic() - t0
    if rc > 2:
        sys.exit("bench/html.py: exhunt exited %d" % rc)
    url = urllib.parse.urljoin("file:", urllib.request.pathname2url(page))
    loads, dom = [], []
    with Browser(chromium, timeout=120) as b:
        p = b.new_page()
        for _ in range(runs):
            p.navigate("about:blank")
            p.navigate(url, 120)
            nav = p.evaluate(
                "(() => { const e = performance.getEntriesByType('navigation')[0]; "
                "return [e.domContentLoadedEventEnd, e.loadEventEnd]; })()"
            )
            dom.append(nav[0])
            loads.append(nav[1])
        facts = p.evaluate(
            "[document.querySelectorAll('.f').length, document.querySelectorAll('#timeline-svg rect').length, "
            "document.querySelectorAll('details').length, document.querySelectorAll('*').length]"
        )
        bad = len(p.exceptions) + len(p.log_errors) + len([u for u in p.requests if u not in (url, "about:blank")])
    return {"scan": scan_s, "size": os.path.getsize(page), "dom": dom, "loads": loads, "facts": facts, "bad": bad}


SCENARIOS = [
    ("busy", "attempts: CVE-2020-0688 ViewState probes (99.9 %) and ProxyLogon-shaped POSTs, each from its own address"),
    ("exploits", "exploitation: answered ProxyShell SSRF requests (never folded), each from its own address"),
]


def main():
    chromium = find_chromium()
    if not chromium:
        print("bench/html.py: skipped: chromium not found")
        return
    d = tempfile.mkdtemp(prefix="exh-html-bench.")
    try:
        res = {kind: measure(chromium, d, kind) for kind, _ in SCENARIOS}
    finally:
        shutil.rmtree(d, ignore_errors=True)
    ver = subprocess.run([exhunt, "version"], capture_output=True, text=True).stdout.strip().splitlines()
    with open(report, "w") as f:
        f.write("# HTML report of %s findings (bench/html.py)\n\n" % format(n, ","))
        f.write(
            "`exhunt scan -f html` of a one-day IIS log of %s findings (tests/html/gen_trees.py), the page "
            "loaded %d times in headless Chromium (`%s`) over the DevTools protocol (tests/html/cdp.py). Load "
            "time is the navigation's load event (`performance` navigation entry), median of the runs. Timing "
            "is reported, not judged.\n\n" % (format(n, ","), runs, os.path.basename(chromium))
        )
        for kind, what in SCENARIOS:
            r = res[kind]
            f.write("## %s: %s\n\n| measure | value |\n|---|---|\n" % (kind, what))
            f.write("| exhunt scan -f html (wall) | %.2f s |\n" % r["scan"])
            f.write("| page size | %s bytes (%.0f KiB) |\n" % (format(r["size"], ","), r["size"] / 1024))
            f.write("| DOMContentLoaded (median) | %.0f ms |\n" % statistics.median(r["dom"]))
            f.write("| load event (median) | %.0f ms |\n" % statistics.median(r["loads"]))
            f.write("| load event (each run) | %s ms |\n" % ", ".join("%.0f" % x for x in r["loads"]))
            f.write("| finding entries on the page (repeats folded, groups capped) | %d |\n" % r["facts"][0])
            f.write("| timeline marks (one per pixel column and stage) | %d |\n" % r["facts"][1])
            f.write("| details groups / elements | %d / %d |\n" % (r["facts"][2], r["facts"][3]))
            f.write("| script errors, CSP reports and other requests | %d |\n\n" % r["bad"])
        f.write("Machine: %s, %d CPUs; %s.\n" % (platform.platform(), os.cpu_count() or 0, ver[0] if ver else "exhunt"))
    for kind, _ in SCENARIOS:
        r = res[kind]
        print("bench/html.py: %s, %s findings: page %.0f KiB, load %.0f ms (median of %d)" % (kind, format(n, ","), r["size"] / 1024, statistics.median(r["loads"]), runs))
    print("bench/html.py: " + report)


if __name__ == "__main__":
    main()
