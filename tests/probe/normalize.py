#!/usr/bin/env python3
"""normalize.py TARGETS < exhunt-probe.jsonl: the stable facts of each
target's records, one JSON line per target in the targets file's order
("name target" lines), then the summary's counts. Times, durations, ports,
certificate dates and the exposure findings' wording (the catalogue's
business) are left out; a finding above info that is not a probe rule
counts as "exposure"."""
import json
import sys

names = {}
for line in open(sys.argv[1]):
    name, target = line.split(None, 1)
    names[target.strip()] = name

recs = [json.loads(l) for l in sys.stdin if l.strip()]
out = {}
summary = None
for r in recs:
    if r["type"] == "summary":
        summary = r
        continue
    t = r["exhunt"]["target"]
    o = out.setdefault(t, {"name": names.get(t, t), "probe_rules": [], "exposure": False,
                           "errors": []})
    if r["type"] == "target":
        e = r["exhunt"]
        o["verdict"] = e["verdict"]
        o["exchange"] = e["exchange"]
        b = e.get("build")
        o["build"] = b["version"] if b else None
        o["source"] = b["source"] if b else None
        o["checks"] = e["checks"]
        o["tls_verified"] = r["tls"]["server"]["verified"] if "tls" in r else None
        o["tls_subject"] = r["tls"]["server"].get("subject") if "tls" in r else None
    elif r["type"] == "finding":
        rid = r["rule"]["id"]
        if rid.startswith("EXH-PROBE-"):
            o["probe_rules"].append(rid)
        elif r["exhunt"]["severity"] != "info":
            o["exposure"] = True
    elif r["type"] == "error":
        o["errors"].append(r["exhunt"]["error"]["code"])
for line in open(sys.argv[1]):
    t = line.split(None, 1)[1].strip()
    o = out.get(t, {"name": names[t], "missing": True})
    for k in ("probe_rules", "errors"):
        if k in o:
            o[k] = sorted(o[k])
    print(json.dumps(o, sort_keys=True))
if summary:
    print(json.dumps({"summary": summary["targets"], "verdict": summary["exhunt"]["verdict"],
                      "exit_code": summary["exit_code"]}, sort_keys=True))
