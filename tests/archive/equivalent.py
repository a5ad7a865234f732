#!/usr/bin/env python3
"""equivalent.py EXHUNT: the bundled example servers with their logs zipped
or gzipped, and packed as the collectors pack a server (Velociraptor's
offline collector, KAPE, CyLR), give the same verdict, findings and coverage
as the plain folders. Every tree is made here, in a temporary folder, from
examples/; findings are compared on what they say (rule, time, line, source,
evidence, message), with each path taken back to the file on disk it names.
Prints `archive-equivalent: N passed, N failed`."""
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLES = os.path.join(HERE, "..", "..", "examples")
ENV = dict(os.environ, EXH_NOW="2026-01-01T00:00:00Z", NO_COLOR="1")

passed = failed = 0


def check(name, ok, why=""):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok - {name}")
    else:
        failed += 1
        print(f"not ok - {name}: {why}")


def scan(exhunt, root, *extra):
    p = subprocess.run([exhunt, "scan", "-f", "jsonl", *extra, root], env=ENV,
                       capture_output=True, text=True, timeout=300)
    recs = [json.loads(l) for l in p.stdout.splitlines() if l.strip()]
    return p.returncode, recs


def files_of(tree):
    out = []
    for d, _, fs in os.walk(tree):
        for f in fs:
            full = os.path.join(d, f)
            out.append((os.path.relpath(full, tree).replace(os.sep, "/"), full))
    return sorted(out)


def is_log(rel):
    low = rel.lower()
    return ("/w3svc" in low and low.endswith(".log")) or "/logging/httpproxy/" in low


def finding_key(f, mapper):
    ex = f.get("exhunt", {})
    path = (f.get("log", {}).get("file", {}).get("path")
            or f.get("file", {}).get("path") or "")
    ev = ex.get("evidence")
    if ev and "!" in ev:  # the path itself as evidence
        ev = mapper(ev)
    msg = f.get("message") or ""
    if "!" in msg:  # a path inside the message ("the page is a web shell found at ...")
        msg = " ".join(mapper(w) if "!" in w else w for w in msg.split(" "))
    return json.dumps([f["rule"]["id"], f.get("@timestamp"), mapper(path),
                       ex.get("line"), f.get("source", {}).get("ip"),
                       ev, msg,
                       f.get("winlog", {}).get("record_id")], sort_keys=True)


def summary(recs):
    return [r for r in recs if r["type"] == "summary"][0]


def compare(name, exhunt, plain, tree, mapper, map_root, root_arg=None):
    rc0, a = scan(exhunt, plain)
    rc1, b = scan(exhunt, root_arg or tree)
    sa, sb = summary(a), summary(b)
    check(f"{name}: exit code", rc0 == rc1, f"{rc0} vs {rc1}")
    check(f"{name}: verdict", sa["exhunt"] == sb["exhunt"], f"{sa['exhunt']} vs {sb['exhunt']}")
    fa = sorted(finding_key(f, lambda p: p) for f in a if f["type"] == "finding")
    fb = sorted(finding_key(f, mapper) for f in b if f["type"] == "finding")
    missing = sorted(set(fa) - set(fb))[:3]
    extra = sorted(set(fb) - set(fa))[:3]
    check(f"{name}: the same {len(fa)} findings", fa == fb,
          f"missing {missing} extra {extra} ({len(fa)} vs {len(fb)})")
    errs = [e for e in b if e["type"] == "error"]
    check(f"{name}: no error records", not errs, str(errs[:2]))
    check(f"{name}: the same coverage", sa["coverage"] == sb["coverage"],
          f"{sa['coverage']} vs {sb['coverage']}")
    check(f"{name}: the same Exchange roots",
          sa["exchange_roots"] == [map_root(r) for r in sb["exchange_roots"]],
          f"{sa['exchange_roots']} vs {sb['exchange_roots']}")
    check(f"{name}: the same build", sa.get("build") and sb.get("build") and
          sa["build"]["version"] == sb["build"]["version"] or sa.get("build") == sb.get("build"),
          f"{sa.get('build')} vs {sb.get('build')}")
    for k in ("records", "bytes"):
        if k == "bytes":
            continue  # the archives' own bytes are read too
        check(f"{name}: the same {k}", sa[k] == sb[k], f"{sa[k]} vs {sb[k]}")


def packed_tree(src, dst, how):
    """Copy src to dst, each IIS and HttpProxy log zipped or gzipped beside."""
    for rel, full in files_of(src):
        out = os.path.join(dst, rel)
        os.makedirs(os.path.dirname(out), exist_ok=True)
        if not is_log(rel):
            shutil.copy2(full, out)
            continue
        base = os.path.basename(rel)
        if how == "gz":
            with open(full, "rb") as i, gzip.open(out + ".gz", "wb") as o:
                o.write(i.read())
        else:
            stem = base.rsplit(".", 1)[0]
            with zipfile.ZipFile(os.path.join(os.path.dirname(out), stem + ".zip"), "w",
                                 zipfile.ZIP_DEFLATED) as z:
                z.write(full, base)


def unpack_name(path):
    """A path of a packed tree back to the file on disk: the member replaces
    the archive (X/u_ex.zip!u_ex.log -> X/u_ex.log)."""
    if "!" not in path:
        return path
    arch, member = path.split("!", 1)
    low = arch.lower()
    if not (("/w3svc" in low or "/logging/httpproxy/" in low) and low.endswith((".zip", ".gz"))):
        return path  # an archive of the example itself (ProgramData/it.zip)
    return os.path.dirname(arch) + "/" + member


def collection(src, zpath, layout):
    with zipfile.ZipFile(zpath, "w", zipfile.ZIP_DEFLATED) as z:
        if layout == "velociraptor":
            z.writestr("collection_context.json", '{"session_id":"F.TEST"}')
            z.writestr("uploads.json", "[]")
            z.writestr("results/Windows.KapeFiles.Targets%2FAll File Metadata.json", "")
        for rel, full in files_of(src):
            if layout == "velociraptor":
                name = "uploads/auto/C%3A/" + "/".join(
                    urllib.parse.quote(c, safe="") for c in rel.split("/"))
            elif layout == "velociraptor-ntfs":
                name = "uploads/ntfs/%5C%5C.%5CC%3A/" + rel
            elif layout == "kape":
                name = "C/" + rel
            else:  # cylr: the drive letter, then the path
                name = "C/" + rel
            z.write(full, name)


def same_for_jobs(name, exhunt, target, jobs):
    outs = {subprocess.run([exhunt, "scan", "-f", "jsonl", "-j", j, target], env=ENV,
                           capture_output=True, timeout=300).stdout for j in jobs}
    check(f"{name}: the same JSON Lines for -j {', '.join(jobs)}", len(outs) == 1)


def main():
    exhunt = os.path.abspath(sys.argv[1])
    tmp = tempfile.mkdtemp(prefix="exh-arc-eq-")
    try:
        for ex in ("compromised", "exposed", "clean"):
            plain = os.path.join(EXAMPLES, ex)
            for how in ("zip", "gz"):
                t = os.path.join(tmp, f"{ex}-{how}")
                packed_tree(plain, t, how)
                compare(f"{ex} with its logs {'zipped' if how == 'zip' else 'gzipped'}", exhunt,
                        plain, t, unpack_name, lambda r: r)
        plain = os.path.join(EXAMPLES, "compromised")
        for layout, prefix in (("velociraptor", "uploads/auto/C:/"),
                               ("velociraptor-ntfs", "uploads/ntfs/C:/"),
                               ("kape", "C/"), ("cylr", "C/")):
            d = os.path.join(tmp, layout)
            os.makedirs(d)
            z = os.path.join(d, f"Collection-EXCH01-{layout}.zip")
            collection(plain, z, layout)

            def mapper(p, prefix=prefix):
                if "!" not in p:
                    return p
                m = p.split("!", 1)[1]  # it.zip!lsass.dmp keeps its own '!'
                return m[len(prefix):] if m.startswith(prefix) else m

            compare(f"a {layout} collection of the compromised example, scanned as it "
                    "arrives", exhunt, plain, d, mapper, mapper, root_arg=z)
        # the output is the same for every -j
        same_for_jobs("a zipped tree", exhunt, os.path.join(tmp, "compromised-zip"), "124")
        same_for_jobs("a collection zip", exhunt,
                      os.path.join(tmp, "velociraptor", "Collection-EXCH01-velociraptor.zip"),
                      "123")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"archive-equivalent: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
