#!/usr/bin/env python3
"""check.py BUILD: the folders of src/ call each other in one direction only.

Reads the symbols every object file under BUILD/src defines and uses (nm), maps each
use to the folder that defines it, and checks that the folder graph has no cycle and
keeps to the order docs/architecture.md gives:

    core <- os <- read <- net <- detect <- engine <- report <- cli

(a folder may use any folder to its left, never one to its right). Calls through
function pointers (the detector table's on_line, on_file, on_event) are not symbol
uses, so the engine running detectors is not a dependency of detect on engine.
Prints one line per check and a final `layers: N passed, N failed`.
"""
import collections
import glob
import os
import subprocess
import sys

ORDER = ["core", "os", "read", "net", "detect", "engine", "report", "cli"]


def symbols(build):
    defs, uses = {}, collections.defaultdict(set)
    objs = []
    for o in sorted(glob.glob(os.path.join(build, "src", "*", "*.o"))):
        # the object of a source moved or deleted since would invent edges
        if not os.path.exists(os.path.join("src", os.path.relpath(o, os.path.join(build, "src")))[:-2] + ".c"):
            print("# left out: %s (its source is gone)" % o)
            continue
        objs.append(o)
        folder = os.path.basename(os.path.dirname(o))
        unit = folder + "/" + os.path.basename(o)[:-2]
        out = subprocess.run(["nm", o], capture_output=True, text=True, check=True).stdout
        for line in out.splitlines():
            p = line.split()
            if len(p) == 3 and p[1] in "TDRBCV":
                defs[p[2]] = unit
            elif len(p) == 2 and p[0] == "U":
                uses[unit].add(p[1])
    return objs, defs, uses


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else "build"
    passed = failed = 0

    def check(ok, what):
        nonlocal passed, failed
        if ok:
            passed += 1
            print("ok - " + what)
        else:
            failed += 1
            print("not ok - " + what)

    objs, defs, uses = symbols(build)
    check(len(objs) > 20, "object files found under %s/src (%d)" % (build, len(objs)))
    edges = collections.defaultdict(set)
    for unit, us in uses.items():
        for s in us:
            d = defs.get(s)
            if d and d.split("/")[0] != unit.split("/")[0]:
                edges[(unit.split("/")[0], d.split("/")[0])].add("%s -> %s (%s)" % (unit, d, s))
    folders = sorted({f for e in edges for f in e} | {o.split("/")[-2] for o in objs})
    for f in folders:
        check(f in ORDER, "folder src/%s has a place in the order" % f)
    for (a, b), why in sorted(edges.items()):
        if a in ORDER and b in ORDER:
            ok = ORDER.index(b) < ORDER.index(a)
            check(ok, "src/%s uses src/%s%s" % (a, b, "" if ok else
                                                ", against the order: " + "; ".join(sorted(why)[:5])))
    # a cycle of any length (the order above already forbids one; this says so
    # directly, whatever ORDER becomes)
    graph = collections.defaultdict(set)
    for a, b in edges:
        graph[a].add(b)
    state, cyc = {}, []

    def visit(n, path):
        state[n] = 1
        for m in sorted(graph[n]):
            if state.get(m) == 1:
                cyc.append(path[path.index(m):] + [m] if m in path else [n, m])
            elif not state.get(m):
                visit(m, path + [m])
        state[n] = 2

    for n in sorted(graph):
        if not state.get(n):
            visit(n, [n])
    check(not cyc, "no call cycle between folders%s" %
          ("" if not cyc else ": " + "; ".join(" -> ".join(c) for c in cyc)))
    print("layers: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
