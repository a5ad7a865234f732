#!/usr/bin/env python3
"""bench/archive.py: exhunt on a tree of gzipped logs (read in place) against
`zcat | rg` searching for the same literals, and against zcat alone (the
decompression floor).

    python3 bench/archive.py EXHUNT LITERALS [REPORT]

Environment: GZ_SIZE (the uncompressed tree, default BUSY_SIZE or 1G: the
busy tree of bench/tree.py is reused), ROUNDS (3),
BENCH_DIR (build/bench), THREADS (default: the CPUs), SEED (1).

1. bench/gen_tree.py writes a busy-profile tree of GZ_SIZE (kept between runs),
   and every log in it is gzipped (gzip -6) into a copy of the tree; pages and
   other files stay as they are.
2. ROUNDS times each: exhunt scan -j 1 and -j N on the gzipped tree; zcat of
   every .gz to /dev/null; zcat of every .gz piped to rg -c -F -i with the
   literals exhunt pre-filters on (one stream, and N streams side by side with
   xargs -P N); exhunt -j N on the plain tree for comparison.
3. Checks (either failing fails the benchmark): exhunt found exactly the
   planted attacks on the gzipped tree (the manifest's counts per rule), and
   -j 1 and -j N printed the same bytes. Times are reported, not asserted:
   MB/s of compressed input and of what it unpacks to.
4. The report (default bench/report-archive.md)."""
import os
import shutil
import subprocess
import sys
import tempfile

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
import tree  # noqa: E402  (run_once, measure, make_tree, machine, counts, ...)

exhunt = tree.exhunt
report = sys.argv[3] if len(sys.argv) > 3 else os.path.join(here, "report-archive.md")
size_arg = os.environ.get("GZ_SIZE", os.environ.get("BUSY_SIZE", "1G"))


def gz_tree(plain, out):
    """Copy plain to out with every log gzipped (kept between runs)."""
    stamp = out + ".done"
    if os.path.isdir(out) and os.path.exists(stamp):
        tree.log(f"reusing {out}")
        return
    shutil.rmtree(out, ignore_errors=True)
    logs = []
    for p in tree.tree_files(plain):
        rel = os.path.relpath(p, plain)
        dst = os.path.join(out, rel)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        if p.lower().endswith(".log"):
            logs.append((p, dst + ".gz"))
        else:
            shutil.copy2(p, dst)
    lst = os.path.join(out + ".list")
    with open(lst, "w") as f:
        for src, dst in logs:
            f.write(f"{src}\0{dst}\0")
    subprocess.run(["sh", "-c", f"xargs -0 -n 2 -P {tree.ncpu} sh -c 'gzip -6 -c \"$1\" > \"$2\"' _ < '{lst}'"],
                   check=True)
    os.remove(lst)
    open(stamp, "w").close()


def main():
    work = tempfile.mkdtemp(prefix="exh-bench-arc-")
    lits = subprocess.run([tree.literals_bin], capture_output=True, text=True,
                          check=True).stdout.split("\n")
    lits = [x for x in lits if x]
    lit_file, _ = tree.write_literals(lits, work)
    size = tree.parse_size(size_arg)
    plain = os.path.join(tree.bench_dir, f"busy-{size_arg}")
    man = tree.make_tree(size, plain, "busy")
    gz = plain + "-gz"
    gz_tree(plain, gz)
    files = tree.tree_files(gz)
    gz_files = [p for p in files if p.endswith(".gz")]
    packed = sum(os.path.getsize(p) for p in gz_files)
    unpacked = man["bytes_written"]
    total_disk = sum(os.path.getsize(p) for p in files)
    tree.warm([gz, plain])
    env = dict(os.environ, EXH_NOW="2026-01-01T00:00:00Z", NO_COLOR="1")
    n = tree.ncpu
    rows, outs = [], {}
    for j in (1, n):
        out = os.path.join(work, f"gz-j{j}.jsonl")
        r = tree.measure(f"exhunt scan -j {j} (gzipped tree)",
                         [exhunt, "scan", "-j", str(j), "-f", "jsonl", "-o", out, gz], packed,
                         ok_rcs=(0, 1), env=env, shell_cmd=f"exhunt scan -j {j} -f jsonl -o OUT GZTREE")
        rows.append(r)
        outs[j] = out
    same = open(outs[1], "rb").read() == open(outs[n], "rb").read()
    got = tree.counts(outs[n])
    want = man["expected"]
    diff = {k: (want.get(k, 0), got.get(k, 0)) for k in sorted(set(want) | set(got))
            if want.get(k, 0) != got.get(k, 0)}
    tree.log(f"archive: -j 1 and -j {n} identical: {'yes' if same else 'NO'}; planted attacks "
             f"found exactly: {'yes' if not diff else 'NO: ' + str(diff)}")
    lst = os.path.join(work, "gz.list")
    with open(lst, "wb") as f:
        f.write(b"".join(p.encode() + b"\0" for p in gz_files))
    out = os.path.join(work, "rg.out")
    rows.append(tree.measure("zcat (every .gz to /dev/null)",
                             ["sh", "-c", f"xargs -0 zcat < '{lst}' > /dev/null"], packed,
                             shell_cmd="xargs -0 zcat < LIST > /dev/null"))
    if shutil.which("rg"):
        rows.append(tree.measure("zcat | rg -F -i -f literals (one stream)",
                                 ["sh", "-c", f"xargs -0 zcat < '{lst}' | rg -c -F -i -f '{lit_file}'"],
                                 packed, out=out,
                                 shell_cmd="xargs -0 zcat < LIST | rg -c -F -i -f literals.txt"))
        rows.append(tree.measure(f"zcat | rg, {n} streams (xargs -P {n})",
                                 ["sh", "-c", f"xargs -0 -P {n} -n 32 sh -c 'zcat \"$@\" | rg -c -F -i "
                                  f"-f {lit_file}' _ < '{lst}'"], packed, out=out, ok_rcs=(0, 123),
                                 shell_cmd=f"xargs -0 -P {n} -n 32 sh -c 'zcat \"$@\" | rg -c -F -i "
                                 "-f literals.txt' _ < LIST"))
    else:
        tree.log("rg not found: `apt-get install ripgrep` to compare with it")
    rows.append(tree.measure(f"exhunt scan -j {n} (the plain tree)",
                             [exhunt, "scan", "-j", str(n), "-f", "jsonl", "-o",
                              os.path.join(work, "plain.jsonl"), plain], packed, ok_rcs=(0, 1),
                             env=env, shell_cmd=f"exhunt scan -j {n} -f jsonl -o OUT TREE"))
    rows = [r for r in rows if r]
    lines = ["# exhunt on gzipped logs (read in place) against zcat | rg", "",
             f"Machine: {tree.machine()}. Written by `make bench` (bench/archive.py).", "",
             f"The tree: bench/gen_tree.py --profile busy --size {size_arg} (seed {tree.seed}), "
             f"{man['files']} files, {unpacked / 1e6:.0f} MB of text, every log gzipped (-6): "
             f"{len(gz_files)} .gz files, {packed / 1e6:.0f} MB packed ({unpacked / packed:.1f}:1); "
             f"{total_disk / 1e6:.0f} MB on disk with the other files. Median of {tree.rounds} runs, "
             "warm page cache.", "",
             "| command | wall s | MB/s packed | MB/s unpacked | CPU s | peak MiB |",
             "|---|---:|---:|---:|---:|---:|"]
    for r in rows:
        mbs_packed = "" if "plain tree" in r["name"] else f"{packed / r['wall'] / 1e6:.0f}"
        cmd = r["cmd"].replace("|", "\\|")
        lines.append(f"| `{cmd}` | {r['wall']:.2f} | {mbs_packed} | "
                     f"{unpacked / r['wall'] / 1e6:.0f} | {r['cpu']:.2f} | {r['rss']:.0f} |")
    lines += ["", f"- exhunt found exactly the planted attacks in the gzipped tree: "
              f"{'yes' if not diff else 'NO ' + str(diff)}",
              f"- -j 1 and -j {n} gave the same bytes: {'yes' if same else 'NO'}",
              "- rg is given the literals exhunt pre-filters on (`build/bench-literals`); it only "
              "counts lines, exhunt parses and judges the selected ones.", ""]
    with open(report, "w") as f:
        f.write("\n".join(lines))
    tree.log(f"archive: report written to {report}")
    shutil.rmtree(work, ignore_errors=True)
    return 0 if same and not diff else 1


if __name__ == "__main__":
    sys.exit(main())
