#!/usr/bin/env python3
"""bench/tree.py: exhunt on a server's worth of logs, side by side with the
reading floor (cat) and grep-class tools searching for the same literals,
for two traffic profiles (bench/gen_tree.py --profile): busy and quiet.

    python3 bench/tree.py EXHUNT LITERALS [REPORT]

Environment: SIZE (the quiet tree, default 2G), BUSY_SIZE (the busy tree,
default 1G), PROFILES (default "busy quiet"), SEED (1), ROUNDS (3),
BENCH_DIR (where the trees go, default build/bench), THREADS (default: the
CPUs).

For each profile:
1. bench/gen_tree.py writes a tree of its size and one of half that (kept
   between runs when the manifest says they were made with the same size,
   seed and profile). The manifest gives the mean line length and the share
   of lines that carry one of the literals (case-insensitive).
2. Every file is read once so that the page cache is warm, then, ROUNDS times
   each, on the same tree: exhunt scan -j 1 and -j N; cat of every file to
   /dev/null; rg (all threads and -j 1) searching for the literals exhunt
   pre-filters on (LITERALS prints them); on the quiet tree only, grep -F
   with the same literals and yara with one rule holding them; exhunt -j N
   on the half tree. Median wall time, MB/s, CPU time (user + system) and
   peak resident memory of each.
3. Checks: exhunt found exactly the planted attacks (the manifest's counts
   per rule, no other rule; tree and half tree), and -j 1 and -j N printed
   the same bytes. Either failing fails the benchmark (exit 1): a benchmark
   that finds less is not a result. The speed targets of issue 18 are
   reported as met or not, with the measured figures; timing is not
   asserted: busy, exhunt -j N at most 2.5 times cat and 0.6 times rg's
   time; quiet, at most 3 times cat; both, peak memory under 128 MiB and
   time linear in size within 10% (the half tree).
4. The report (default bench/RESULTS.md) gets the machine, a summary, per
   profile the tree, its line statistics, the table, the targets and the
   findings, then the commands and bench/RESULTS-notes.md (written by hand).
"""
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(here)
exhunt = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "exhunt"))
literals_bin = os.path.abspath(sys.argv[2] if len(sys.argv) > 2 else os.path.join(root, "build", "bench-literals"))
report = sys.argv[3] if len(sys.argv) > 3 else os.path.join(here, "RESULTS.md")
size_arg = os.environ.get("SIZE", "2G")
busy_size_arg = os.environ.get("BUSY_SIZE", "1G")
profiles = os.environ.get("PROFILES", "busy quiet").split()
seed = int(os.environ.get("SEED", "1"))
rounds = int(os.environ.get("ROUNDS", "3"))
bench_dir = os.path.abspath(os.environ.get("BENCH_DIR", os.path.join(root, "build", "bench")))
ncpu = int(os.environ.get("THREADS", str(os.cpu_count() or 1)))
YARA_TIMEOUT = 600


def parse_size(s):
    s = s.strip().upper()
    mult = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    if s and s[-1] in mult:
        return int(float(s[:-1]) * mult[s[-1]])
    return int(s)


def log(msg):
    print(f"bench-tree: {msg}", flush=True)


def make_tree(size, path, profile):
    """Generate (or reuse) the tree at path; returns its manifest."""
    man_path = path + ".manifest.json"
    if os.path.isdir(path) and os.path.exists(man_path):
        with open(man_path) as f:
            man = json.load(f)
        if man.get("seed") == seed and man.get("size_requested") == size and \
                man.get("profile") == profile and man.get("literal_line_share") is not None:
            log(f"reusing {path} ({man['bytes_written'] / 1e9:.2f} GB)")
            return man
    t = time.perf_counter()
    subprocess.run([sys.executable, os.path.join(here, "gen_tree.py"), "--size", str(size),
                    "--seed", str(seed), "--profile", profile, "--literals", literals_bin,
                    "--out", path, "--force"], check=True)
    with open(man_path) as f:
        man = json.load(f)
    log(f"generated {path}: {man['bytes_written'] / 1e9:.2f} GB, {man['files']} files "
        f"in {time.perf_counter() - t:.0f} s; {share(man)[2]}")
    return man


def tree_files(path):
    out = []
    for d, _, names in os.walk(path):
        for n in names:
            out.append(os.path.join(d, n))
    out.sort()
    return out


def run_once(argv, stdout=subprocess.DEVNULL, env=None, timeout=None):
    """Wall seconds, CPU seconds (user + system) and peak RSS (MiB) of one run."""
    t0 = time.perf_counter()
    p = subprocess.Popen(argv, stdout=stdout, stderr=subprocess.DEVNULL, env=env)
    try:
        _, status, ru = os.wait4(p.pid, 0) if timeout is None else wait_timeout(p, timeout)
    except TimeoutError:
        p.kill()
        p.wait()
        return None
    wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    return {"wall": wall, "cpu": ru.ru_utime + ru.ru_stime, "rss": ru.ru_maxrss / 1024, "rc": p.returncode}


def wait_timeout(p, timeout):
    end = time.monotonic() + timeout
    while True:
        pid, status, ru = os.wait4(p.pid, os.WNOHANG)
        if pid:
            return pid, status, ru
        if time.monotonic() > end:
            raise TimeoutError
        time.sleep(0.01)


def measure(name, argv, nbytes, ok_rcs=(0,), env=None, timeout=None, shell_cmd=None, out=None, tag=""):
    """out: a file for the tool's standard output (GNU grep stops at the
    first match when its output is /dev/null, so searches write to a file)."""
    runs = []
    for _ in range(rounds):
        if out:
            with open(out, "wb") as fh:
                r = run_once(argv, stdout=fh, env=env, timeout=timeout)
        else:
            r = run_once(argv, env=env, timeout=timeout)
        if r is None:
            log(f"{tag}{name}: over {timeout} s, left out")
            return None
        if r["rc"] not in ok_rcs:
            log(f"{tag}{name}: exit {r['rc']}")
            return None
        runs.append(r)
    wall = statistics.median(r["wall"] for r in runs)
    row = {
        "name": name,
        "cmd": shell_cmd or " ".join(argv),
        "wall": wall,
        "mbs": nbytes / wall / 1e6,
        "cpu": statistics.median(r["cpu"] for r in runs),
        "rss": max(r["rss"] for r in runs),
    }
    log(f"{tag}{name}: {wall:.3f} s, {row['mbs']:.0f} MB/s, cpu {row['cpu']:.2f} s, peak {row['rss']:.0f} MiB")
    return row


def machine():
    model, mem = "?", "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal"):
                    mem = f"{int(line.split()[1]) / (1 << 20):.1f} GiB"
                    break
    except OSError:
        pass
    return f"{platform.system()} {platform.release()} {platform.machine()}, {model}, {os.cpu_count()} CPUs, {mem}"


def version(argv):
    try:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=10).stdout
        return out.splitlines()[0].strip() if out else "?"
    except (OSError, subprocess.TimeoutExpired):
        return "?"


def counts(jsonl_path):
    c = {}
    with open(jsonl_path, encoding="utf-8") as f:
        for line in f:
            o = json.loads(line)
            if o.get("type") == "finding":
                rid = o["rule"]["id"]
                c[rid] = c.get(rid, 0) + 1
    return c


def write_literals(lits, work):
    lit_file = os.path.join(work, "literals.txt")
    with open(lit_file, "w") as f:
        f.write("\n".join(lits) + "\n")
    yara_file = os.path.join(work, "literals.yar")
    with open(yara_file, "w") as f:
        f.write("rule exhunt_literals\n{\n    strings:\n")
        for i, s in enumerate(lits):
            esc = s.replace("\\", "\\\\").replace('"', '\\"')
            f.write(f'        $s{i} = "{esc}" nocase\n')
        f.write("    condition:\n        any of them\n}\n")
    return lit_file, yara_file


def warm(paths):
    """Read every file once so that the page cache is warm."""
    for path in paths:
        for p in tree_files(path):
            with open(p, "rb") as fh:
                while fh.read(1 << 20):
                    pass


def bench_profile(profile, size_arg, work, lit_file, yara_file):
    """Generate (or reuse) the profile's trees, run every tool, check exhunt's output.
    Returns the profile's results: rows, targets, checks, manifests."""
    size = parse_size(size_arg)
    prefix = "tree" if profile == "quiet" else profile
    full = os.path.join(bench_dir, f"{prefix}-{size_arg}")
    half = os.path.join(bench_dir, f"{prefix}-{size_arg}-half")
    man = make_tree(size, full, profile)
    man_half = make_tree(size // 2, half, profile)
    nbytes = man["bytes_written"]
    actual_bytes = sum(os.path.getsize(p) for p in tree_files(full))

    log(f"{profile}: warming the page cache")
    warm([full, half])

    env = dict(os.environ, EXH_NOW="2026-01-01T00:00:00Z", NO_COLOR="1")
    search_out = os.path.join(work, "search.out")
    env_c = dict(os.environ, LC_ALL="C")
    rows = []
    tag = f"{profile}: "

    # exhunt, output kept for the checks
    outs = {}
    for j in (1, ncpu):
        out = os.path.join(work, f"{profile}-j{j}.jsonl")
        argv = [exhunt, "scan", "-j", str(j), "-f", "jsonl", "-o", out, full]
        rows.append(measure(f"exhunt scan -j {j}", argv, nbytes, ok_rcs=(0, 1), env=env,
                            shell_cmd=f"exhunt scan -j {j} -f jsonl -o OUT TREE", tag=tag))
        outs[j] = out
    same = open(outs[1], "rb").read() == open(outs[ncpu], "rb").read()
    log(f"{profile}: -j 1 and -j {ncpu} output identical: {'yes' if same else 'NO'}")
    got = counts(outs[ncpu])
    want = man["expected"]
    diff = {k: (want.get(k, 0), got.get(k, 0)) for k in sorted(set(want) | set(got))
            if want.get(k, 0) != got.get(k, 0)}
    planted_ok = not diff
    log(f"{profile}: planted attacks found exactly: {'yes' if planted_ok else 'NO: ' + str(diff)}")

    # the floor and the grep-class tools (a shell loop would add its own time:
    # xargs hands cat many files per process)
    cat_cmd = ["sh", "-c", f"find '{full}' -type f -print0 | xargs -0 cat > /dev/null"]
    rows.append(measure("cat (every file to /dev/null)", cat_cmd, nbytes, tag=tag,
                        shell_cmd="find TREE -type f -print0 | xargs -0 cat > /dev/null"))
    if shutil.which("rg"):
        rows.append(measure("rg -F -i -f literals (all threads)",
                            ["rg", "-c", "-F", "-i", "-f", lit_file, full], nbytes, ok_rcs=(0, 1),
                            shell_cmd="rg -c -F -i -f literals.txt TREE > OUT", out=search_out, tag=tag))
        rows.append(measure("rg -F -i -f literals (-j 1)",
                            ["rg", "-j", "1", "-c", "-F", "-i", "-f", lit_file, full], nbytes, ok_rcs=(0, 1),
                            shell_cmd="rg -j 1 -c -F -i -f literals.txt TREE > OUT", out=search_out,
                            tag=tag))
    else:
        log("rg not found: `apt-get install ripgrep` (Debian package) to compare with it")
    if profile == "quiet":   # grep and yara: slow, and their place is known; once is enough
        rows.append(measure("grep -F -i -f literals (LC_ALL=C)",
                            ["grep", "-r", "-c", "-F", "-i", "-f", lit_file, full], nbytes, ok_rcs=(0, 1),
                            env=env_c, shell_cmd="LC_ALL=C grep -r -c -F -i -f literals.txt TREE > OUT",
                            out=search_out, tag=tag))
        if shutil.which("yara"):
            rows.append(measure(f"yara (one rule, the literals nocase, -p {ncpu})",
                                ["yara", "-r", "-p", str(ncpu), yara_file, full], nbytes, ok_rcs=(0, 1),
                                timeout=YARA_TIMEOUT, shell_cmd=f"yara -r -p {ncpu} literals.yar TREE > OUT",
                                out=search_out, tag=tag))
        else:
            log("yara not found: `apt-get install yara` (Debian package) to compare with it")
    half_out = os.path.join(work, f"{profile}-half.jsonl")
    half_row = measure(f"exhunt scan -j {ncpu}, half tree",
                       [exhunt, "scan", "-j", str(ncpu), "-f", "jsonl", "-o", half_out, half],
                       man_half["bytes_written"], ok_rcs=(0, 1), env=env, tag=tag,
                       shell_cmd=f"exhunt scan -j {ncpu} -f jsonl -o OUT HALF_TREE")
    got_half = counts(half_out)
    half_ok = got_half == {k: v for k, v in man_half["expected"].items() if v}
    log(f"{profile}: half tree: planted attacks found exactly: {'yes' if half_ok else 'NO'}")
    rows = [r for r in rows + [half_row] if r]

    by = {r["name"]: r for r in rows}
    ex_n = by.get(f"exhunt scan -j {ncpu}")
    cat = by.get("cat (every file to /dev/null)")
    rg = by.get("rg -F -i -f literals (all threads)")
    cat_max = 2.5 if profile == "busy" else 3.0
    targets, ratios = [], []
    if ex_n and cat:
        ratio = ex_n["wall"] / cat["wall"]
        targets.append((f"exhunt -j {ncpu} at most {cat_max:g} times `cat`", ratio <= cat_max,
                        f"{ratio:.2f}x cat"))
        ratios.append(f"{ratio:.2f}x `cat`")
    if ex_n and rg:
        ratio = ex_n["wall"] / rg["wall"]
        if profile == "busy":
            targets.append((f"exhunt -j {ncpu} at most 0.6 times rg's time (all threads, same literals)",
                            ratio <= 0.6, f"{ratio:.2f}x rg's time"))
        ratios.append(f"{ratio:.2f}x rg's time (all threads, same literals)")
    if ex_n and half_row:
        scale = (ex_n["wall"] / half_row["wall"]) / (nbytes / man_half["bytes_written"])
        targets.append(("linear in size: twice the tree, twice the time (within 10%)",
                        0.9 <= scale <= 1.1, f"time ratio / size ratio = {scale:.2f}"))
    ex_rows = [r for r in rows if r["name"].startswith("exhunt")]
    if ex_rows:
        peak = max(r["rss"] for r in ex_rows)
        targets.append(("peak memory under 128 MiB", peak < 128, f"{peak:.0f} MiB"))
    checks = [(f"output of -j 1 and -j {ncpu} identical", same, "yes" if same else "no"),
              ("every planted attack found, nothing else (tree and half tree)", planted_ok and half_ok,
               "yes" if planted_ok and half_ok else f"no: {diff}" if diff else "no: half tree")]
    return {"profile": profile, "size_arg": size_arg, "man": man, "man_half": man_half,
            "nbytes": nbytes, "actual_bytes": actual_bytes, "rows": rows, "targets": targets,
            "checks": checks, "ratios": ratios, "want": want}


def share(man):
    """The profile's mean line length and selected-line share, as the manifest states them."""
    mean = man.get("mean_line_bytes") or man["bytes_written"] / max(1, man.get("lines", 1))
    sel = man.get("literal_line_share")
    sel_s = f"{100 * sel:.1f}% of them carry a literal" if sel is not None else "selected share unknown"
    return mean, sel, f"lines average {mean:.0f} bytes, {sel_s}"


def main():
    if not os.path.exists(literals_bin):
        log(f"no {literals_bin}: run through `make bench`")
        return 1
    os.makedirs(bench_dir, exist_ok=True)
    work = tempfile.mkdtemp(prefix="exhunt-bench-")
    lits = subprocess.run([literals_bin], capture_output=True, text=True, check=True).stdout.splitlines()
    lit_file, yara_file = write_literals(lits, work)
    load_start = os.getloadavg()[0]

    results = []
    for profile in profiles:
        results.append(bench_profile(profile, busy_size_arg if profile == "busy" else size_arg,
                                     work, lit_file, yara_file))
    ok = all(met for res in results for _, met, _ in res["checks"])

    # the report
    lines = [
        "# Benchmark: a server's worth of logs, quiet and busy",
        "",
        f"- date: {time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())}",
        f"- machine: {machine()}",
        f"- exhunt: {version([exhunt, 'version'])}; compiler: {version(['cc', '--version'])}",
        f"- rg: {version(['rg', '--version'])}; grep: {version(['grep', '--version'])}; "
        f"yara: {version(['yara', '--version'])}",
        f"- literals exhunt pre-filters on: {len(lits)} (`build/bench-literals`), given to rg, grep and yara",
        f"- warm page cache; median of {rounds} rounds; CPU = user + system time; memory = peak RSS",
        f"- load average (1 min) at the start and the end: {load_start:.1f}, {os.getloadavg()[0]:.1f} "
        f"(on a shared machine other work slows every row alike)",
        "- profiles (`bench/gen_tree.py --profile`): quiet is an ordinary server's traffic (long "
        "HttpProxy rows, few selected lines); busy has more short EWS, autodiscover, ActiveSync, "
        "OWA page and remote PowerShell requests (shorter lines, more of them selected); "
        "grep and yara run on the quiet tree only",
        "",
        "Summary:",
        "",
    ]
    for res in results:
        lines.append(f"- {res['profile']} ({res['size_arg']}): {share(res['man'])[2]}; "
                     f"exhunt -j {ncpu} at " + ", ".join(res["ratios"]))
    lines.append("")
    for res in results:
        profile, man, man_half = res["profile"], res["man"], res["man_half"]
        stat = share(man)[2]
        lines += [
            f"## {profile.capitalize()} profile",
            "",
            f"- tree: `bench/gen_tree.py --profile {profile} --size {res['size_arg']} --seed {seed}`: "
            f"{res['nbytes'] / 1e9:.2f} GB ({res['actual_bytes']} bytes), {man['files']} files, "
            f"{man.get('lines', 0):,} lines; half tree {man_half['bytes_written'] / 1e9:.2f} GB",
            f"- traffic: {stat} (case-insensitive, the literals above)",
            f"- planted attacks (findings expected): {sum(res['want'].values())} over "
            f"{len([v for v in res['want'].values() if v])} rules",
            "",
            "| run | median s | MB/s | CPU s | peak MiB |",
            "|---|---:|---:|---:|---:|",
        ]
        for r in res["rows"]:
            lines.append(f"| {r['name']} | {r['wall']:.3f} | {r['mbs']:.0f} | {r['cpu']:.2f} | {r['rss']:.0f} |")
        lines += ["", f"Targets (issue 18), {profile} profile:", ""]
        for name, met, detail in res["targets"] + res["checks"]:
            lines.append(f"- {'met' if met else 'NOT met'}: {name} ({detail})")
        lines += ["", "Findings per rule (expected = found):", ""]
        lines.append(", ".join(f"{k} {v}" for k, v in sorted(res["want"].items())))
        lines.append("")
    lines += ["## Commands", "",
              "TREE is the generated tree, literals.txt what `build/bench-literals` prints:", ""]
    seen = set()
    for res in results:
        for r in res["rows"]:
            if r["name"] not in seen:
                seen.add(r["name"])
                lines.append(f"- {r['name']}: `{r['cmd']}`")
    if os.path.exists(os.path.join(here, "RESULTS-notes.md")):
        with open(os.path.join(here, "RESULTS-notes.md")) as f:
            lines += ["", f.read().rstrip()]
    with open(report, "w") as f:
        f.write("\n".join(lines) + "\n")
    shutil.rmtree(work, ignore_errors=True)
    log(f"report in {os.path.relpath(report, root)}")
    checks = [c for res in results for c in res["checks"]]
    speed = [t for res in results for t in res["targets"]]
    passed = sum(1 for c in checks if c[1])
    print(f"bench-tree: {passed} passed, {len(checks) - passed} failed "
          f"(targets met: {sum(1 for t in speed if t[1])} of {len(speed)})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
