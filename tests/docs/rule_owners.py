#!/usr/bin/env python3
"""rule_owners.py [TOP]: every rule is emitted exactly where its rules.def row says.

include/exh/rules.def's emitters column names, for each rule, the detectors
(src/detect/detectors.def) and the other emitters (rules.def's EMITTER rows)
that emit it. This maps each name to its file (a detector to the file that
defines its exh_det_<name>_<line|file|event> function, an EMITTER to its
file), finds where src/ emits each EXH_RULE_<sym>, and checks that the two
sets of files are the same. A use compared with == or != only reads the rule
(the judge's tests); every other use emits it (an argument, an assignment, a
relabelling). Files that only read rules are not looked at: the reporters,
cmd_rules.c and the tables themselves. The rules of
data/exchange-exploited.tsv (its first column) are emitted by
src/detect/exposure.c, which reads that table.

Prints one line a check: "ok" or "not ok - WHY" (tests/docs/check.sh counts
them); exits 1 when one failed.
"""
import os
import re
import sys

TOP = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else
                      os.path.join(os.path.dirname(__file__), "..", ".."))
# files that read rules but never emit one
EXEMPT = ("src/report/", "src/cli/cmd_rules.c", "src/detect/rules.c")
# data tables whose first column names rules, and the file that emits them
DATA_TABLES = {"data/exchange-exploited.tsv": "src/detect/exposure.c"}

results = []


def check(ok, why):
    results.append("ok" if ok else "not ok - " + why)
    return ok


def read(rel):
    with open(os.path.join(TOP, rel), encoding="utf-8") as f:
        return f.read()


def strip_comments(text):
    """C comments and string literals blanked (newlines kept)."""
    def blank(m):
        s = m.group(0)
        if s.startswith('"'):
            return '""'
        return re.sub(r"[^\n]", " ", s)
    return re.sub(r'/\*.*?\*/|//[^\n]*|"(?:\\.|[^"\\\n])*"', blank, text, flags=re.S)


def rules_table():
    text = read("include/exh/rules.def")
    rules = {}
    for m in re.finditer(r'^RULE\(\s*([A-Z0-9_]+)\s*,\s*"[^"]*"\s*,\s*"[^"]*"\s*,\s*"([^"]*)"',
                         text, flags=re.M):
        rules[m.group(1)] = m.group(2).split(",") if m.group(2) else []
    others = dict(re.findall(r'^EMITTER\(\s*(\w+)\s*,\s*"([^"]+)"\s*\)', text, flags=re.M))
    nrows = len(re.findall(r"^RULE\(", text, flags=re.M))
    check(len(rules) == nrows and nrows > 0,
          "rules.def: %d RULE rows, %d read with an emitters column" % (nrows, len(rules)))
    check(len(others) > 0, "rules.def: no EMITTER rows")
    return rules, others


def sources():
    out = {}
    for d, _, files in os.walk(os.path.join(TOP, "src")):
        for f in sorted(files):
            if f.endswith((".c", ".h")):
                rel = os.path.relpath(os.path.join(d, f), TOP).replace(os.sep, "/")
                out[rel] = strip_comments(read(rel))
    return out


def detector_files(src):
    """detector name -> the file defining its function."""
    text = strip_comments(read("src/detect/detectors.def"))
    dets = {}
    for kind, name in re.findall(r"^\s*(LINE|FILE|EVENT)_DETECTOR\(\s*(\w+)", text, flags=re.M):
        fn = "exh_det_%s_%s" % (name, kind.lower())
        where = {rel for rel, t in src.items()
                 if re.search(r"^void\s+%s\s*\([^;{]*\)\s*\{" % fn, t, flags=re.M)}
        if check(len(where) == 1, "detector %s: %s defined in %s" % (
                name, fn, ", ".join(sorted(where)) or "no file")):
            dets[name] = where.pop()
    check(len(dets) > 0, "detectors.def: no rows read")
    return dets


def emitting_uses(src):
    """rule sym -> set of files that emit it."""
    uses = {}
    for rel, text in src.items():
        if rel.startswith(EXEMPT) or not rel.endswith(".c"):
            continue
        for m in re.finditer(r"\bEXH_RULE_([A-Z0-9][A-Z0-9_]*)\b", text):
            before = text[max(0, m.start() - 40):m.start()]
            after = text[m.end():m.end() + 10]
            read_only = (re.search(r"(==|!=)\s*(&\s*\w+\s*\[\s*)?$", before) or
                         re.match(r"\s*\]?\s*(==|!=)", after))
            if not read_only:
                uses.setdefault(m.group(1), set()).add(rel)
    for table, emitter in DATA_TABLES.items():
        for line in read(table).splitlines():
            if line and not line.startswith("#"):
                uses.setdefault(line.split("\t")[0], set()).add(emitter)
    return uses


def main():
    rules, others = rules_table()
    src = sources()
    dets = detector_files(src)
    for name, f in others.items():
        check(name not in dets, "EMITTER %s is also a detector's name" % name)
        check(f in src, "EMITTER %s: no file %s" % (name, f))
    uses = emitting_uses(src)
    for sym, names in rules.items():
        want = set()
        for n in names:
            if check(n in dets or n in others,
                     "EXH_RULE_%s: emitter '%s' is neither a detector nor an EMITTER" % (sym, n)):
                want.add(dets.get(n) or others[n])
        got = uses.get(sym, set())
        check(got == want, "EXH_RULE_%s: rules.def names %s, emitted in %s" % (
            sym, ", ".join(sorted(want)) or "nothing", ", ".join(sorted(got)) or "no file"))
    for sym in sorted(set(uses) - set(rules)):
        check(False, "EXH_RULE_%s is emitted in %s but has no RULE row" % (
            sym, ", ".join(sorted(uses[sym]))))
    print("\n".join(results))
    return 0 if all(r == "ok" for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
