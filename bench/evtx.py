#!/usr/bin/env python3
"""bench/evtx.py: exhunt's .evtx reader against evtxexport (Debian's
libevtx-utils) on the same files.

    python3 bench/evtx.py [EXHUNT] [REPORT]

Reads every .evtx under ../shared/evtx-samples (or $EVTX_SAMPLES), then, best
of $ROUNDS rounds (default 5):
  - evtxexport FILE > /dev/null, once per file (it has one thread);
  - exhunt evtx -j 1 FILE... > /dev/null (every record decoded and printed as
    JSON Lines: the same work as evtxexport's text export);
  - exhunt evtx -j N (N = the CPUs) and exhunt scan -j 1 / -j N on the same
    files (the scan pre-filters records before decoding them).
Records read are counted per file from both tools' own output; a file where
exhunt reads fewer records than evtxexport fails the benchmark (exit 1).
The report (default bench/report-evtx.md) gets the machine description,
the times, MB/s, records/s and the per-thread speed-up. The speed-up is
reported, not asserted: timing belongs to benchmarks, not to tests."""
import glob
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time

here = os.path.dirname(os.path.abspath(__file__))
exhunt = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "exhunt"))
report = sys.argv[2] if len(sys.argv) > 2 else os.path.join(here, "report-evtx.md")
samples = os.environ.get("EVTX_SAMPLES", os.path.join(here, "..", "..", "shared", "evtx-samples"))
rounds = int(os.environ.get("ROUNDS", "5"))

# every sample: conformance/ and sigma/ (128 files) and attack/ (429 logs of
# public attack simulations)
files = sorted(glob.glob(os.path.join(samples, "**", "*.evtx"), recursive=True))
if not files:
    print(f"bench-evtx: skipped: no .evtx files under {samples}")
    sys.exit(0)
evtxexport = shutil.which("evtxexport")
if not evtxexport:
    print("bench-evtx: evtxexport not found; install it with: apt-get install libevtx-utils")
    sys.exit(0)
ncpu = os.cpu_count() or 1
total = sum(os.path.getsize(f) for f in files)


def timed(argv_list):
    """Best wall time of `rounds` runs of the commands in argv_list (in a row)."""
    best = None
    for _ in range(rounds):
        t0 = time.perf_counter()
        for argv in argv_list:
            subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        dt = time.perf_counter() - t0
        best = dt if best is None or dt < best else best
    return best


# records per file, from each tool's own output
theirs = {}
for f in files:
    out = subprocess.run([evtxexport, f], capture_output=True).stdout
    theirs[f] = len(re.findall(rb"^Event number", out, re.M))
ours = {}
out = subprocess.run([exhunt, "evtx", "-j", "1"] + files, capture_output=True).stdout
for line in out.splitlines():
    o = json.loads(line)
    if o.get("type") == "summary":
        ours[o["path"]] = o["records"]
same_out = subprocess.run([exhunt, "evtx", "-j", str(ncpu)] + files, capture_output=True).stdout == out

short = [f for f in files if ours.get(f, 0) < theirs[f]]
more = [f for f in files if ours.get(f, 0) > theirs[f]]
n_theirs = sum(theirs.values())
n_ours = sum(ours.values())

t_them = timed([[evtxexport, f] for f in files])
t_1 = timed([[exhunt, "evtx", "-j", "1"] + files])
t_n = timed([[exhunt, "evtx", "-j", str(ncpu)] + files])
t_d = timed([[exhunt, "evtx", "-s", "-j", "1"] + files])
t_s1 = timed([[exhunt, "scan", "-q", "-j", "1", "-f", "jsonl"] + files])
t_sn = timed([[exhunt, "scan", "-q", "-j", str(ncpu), "-f", "jsonl"] + files])


t_start = timed([[exhunt, "version"]])
big = []
for f in sorted(files, key=os.path.getsize, reverse=True)[:4]:
    big.append((f, timed([[evtxexport, f]]), timed([[exhunt, "evtx", "-j", "1", f]]),
                timed([[exhunt, "evtx", "-s", "-j", "1", f]])))


def cpu_model():
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def mem():
    try:
        with open("/proc/meminfo") as fh:
            kb = int(fh.readline().split()[1])
            return f"{kb / 1048576:.1f} GiB"
    except (OSError, ValueError, IndexError):
        return "unknown"


def version(argv):
    try:
        r = subprocess.run(argv, capture_output=True, text=True)
        return (r.stdout or r.stderr).splitlines()[0].strip()
    except (OSError, IndexError):
        return "unknown"


mb = total / 1e6
rows = [
    ("evtxexport (text export, 1 thread)", t_them, n_theirs),
    ("exhunt evtx -j 1 (JSON Lines, every record)", t_1, n_ours),
    (f"exhunt evtx -j {ncpu} (JSON Lines, every record)", t_n, n_ours),
    ("exhunt evtx -s -j 1 (every record decoded, not printed)", t_d, n_ours),
    ("exhunt scan -j 1 (all checks and the verdict)", t_s1, n_ours),
    (f"exhunt scan -j {ncpu} (all checks and the verdict)", t_sn, n_ours),
]
lines = [
    "# .evtx reader benchmark",
    "",
    f"- date: {time.strftime('%Y-%m-%d %H:%M:%S %Z')}",
    f"- machine: {platform.system()} {platform.release()} {platform.machine()}, {cpu_model()}, "
    f"{ncpu} CPUs, {mem()}",
    f"- compiler: {version(['cc', '--version'])}",
    f"- evtxexport: {version([evtxexport, '-V'])}",
    f"- input: {len(files)} files, {mb:.1f} MB (every .evtx under evtx-samples), best of {rounds} rounds,"
    " output to /dev/null",
    "",
    "| run | seconds | MB/s | records/s | speed-up over evtxexport |",
    "|---|---:|---:|---:|---:|",
]
for name, t, n in rows:
    lines.append(f"| {name} | {t:.3f} | {mb / t:.1f} | {n / t:,.0f} | {t_them / t:.1f}x |")
lines += [
    "",
    f"- records read: exhunt {n_ours}, evtxexport {n_theirs}",
    f"- files where exhunt reads fewer records than evtxexport: {len(short)}"
    + (": " + ", ".join(os.path.basename(f) for f in short) if short else ""),
    f"- files where exhunt reads more (evtxexport stops early or fails): {len(more)}"
    + (": " + ", ".join(f"{os.path.basename(f)} ({ours.get(f, 0)} vs {theirs[f]})" for f in more)
       if more else ""),
    f"- output of -j 1 and -j {ncpu} identical: {'yes' if same_out else 'NO'}",
    "",
    "Each evtxexport run is one process per file, as it takes one file; exhunt takes them all at",
    "once. The times include process start-up on both sides (about 2 ms for exhunt).",
    "",
    "Per file, on the largest samples alone (best of the rounds, one thread):",
    "",
    "| file | MB | evtxexport s | exhunt evtx -j 1 s | speed-up | exhunt evtx -s -j 1 s | speed-up |",
    "|---|---:|---:|---:|---:|---:|---:|",
] + [
    f"| {os.path.basename(f)} | {os.path.getsize(f) / 1e6:.1f} | {a:.4f} | {b:.4f} | {a / b:.1f}x"
    f" | {c:.4f} | {a / c:.1f}x |"
    for f, a, b, c in big
] + [
    "",
    f"exhunt's own start-up (`exhunt version`) takes about {t_start * 1000:.1f} ms of each run.",
]
text = "\n".join(lines) + "\n"
with open(report, "w") as fh:
    fh.write(text)
print(text)
ok = not short and same_out
print(f"bench-evtx: {1 if ok else 0} passed, {0 if ok else 1} failed "
      f"(per-thread speed-up {t_them / t_1:.1f}x; report in {os.path.relpath(report)})")
sys.exit(0 if ok else 1)
