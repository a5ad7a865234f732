#!/bin/bash
# run.sh EXHUNT: `exhunt probe` against the loopback servers of server.py
# (127.0.0.x only): every target's classification against expected.jsonl
# (stable fields, see normalize.py), the other formats, exit codes, @FILE
# lists, usage errors, --rate and --parallel. Ends "probe: N passed, N failed".
set -u
bin=$1
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/exh-probe.XXXXXX")
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "not ok - $*"; fail=$((fail + 1)); }
srv=
cleanup() { [ -n "$srv" ] && kill "$srv" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

python3 "$here/server.py" functional "$tmp/srv" 2>"$tmp/server.log" &
srv=$!
for _ in $(seq 100); do [ -s "$tmp/srv/ready" ] && break; sleep 0.1; done
if [ ! -s "$tmp/srv/ready" ]; then
    cat "$tmp/server.log"
    echo "probe: 0 passed, 1 failed (the test server did not start)"
    exit 1
fi
targets=$tmp/srv/targets
tgt() { awk -v n="$1" '$1 == n { print $2 }' "$targets"; }
export EXH_NOW=2026-12-01T00:00:00Z
net="--timeout 3 --connect-timeout 2"

# 1. every target at once, both checks: classifications as expected
awk '{ print $2 }' "$targets" >"$tmp/list"
start=$(date +%s)
"$bin" probe $net --check all -f jsonl @"$tmp/list" >"$tmp/all.jsonl" 2>"$tmp/all.err"
rc=$?
took=$(($(date +%s) - start))
[ "$rc" -eq 1 ] && ok || bad "all targets: exit $rc, expected 1"
[ "$took" -le 12 ] && ok || bad "all targets took ${took}s (timeouts are 3s)"
[ -s "$tmp/all.err" ] && bad "stderr not empty: $(head -3 "$tmp/all.err")" || ok
python3 "$here/normalize.py" "$targets" <"$tmp/all.jsonl" >"$tmp/all.norm" || bad "normalize failed"
if diff -u "$here/expected.jsonl" "$tmp/all.norm" >"$tmp/all.diff"; then
    ok
else
    bad "classifications differ from tests/probe/expected.jsonl:"
    cat "$tmp/all.diff"
fi
# every line is JSON with a type, and every record of a target names it
python3 - "$tmp/all.jsonl" <<'PY' && ok || bad "JSON Lines contract"
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
assert recs[-1]["type"] == "summary" and recs[-1]["schema_version"] == 1
for r in recs[:-1]:
    assert r["type"] in ("target", "finding", "error"), r
    assert "full" in r["url"] and r["exhunt"]["target"], r
    if r["type"] == "finding":
        assert r["rule"]["id"].startswith("EXH-") and r["event"]["kind"] == "alert", r
        assert r["event"]["dataset"] == "exchange.probe", r
PY

# 2. csv: one table, a row per target, finding and error
"$bin" probe $net --check all -f csv @"$tmp/list" >"$tmp/all.csv" 2>"$tmp/csv.err"
rc=$?
[ "$rc" -eq 1 ] && ok || bad "csv: exit $rc"
rows=$(python3 -c 'import csv,sys; print(sum(1 for _ in csv.reader(open(sys.argv[1], newline=""))) - 1)' "$tmp/all.csv")
recs=$(grep -vc '"type":"summary"' "$tmp/all.jsonl")
[ "$rows" -eq "$recs" ] && ok || bad "csv has $rows rows, jsonl $recs records"
grep -q "verdict EXPOSED (exit 1)" "$tmp/csv.err" && ok || bad "csv summary on stderr"

# 3. text: every target named, the verdict last
"$bin" probe $net --check all @"$tmp/list" >"$tmp/all.txt" 2>/dev/null
[ $? -eq 1 ] && ok || bad "text: exit code"
[ "$(tail -1 "$tmp/all.txt")" = "verdict   EXPOSED" ] && ok || bad "text: last line $(tail -1 "$tmp/all.txt")"
n=$(grep -c "^    why " "$tmp/all.txt")
[ "$n" -eq "$(wc -l <"$tmp/list")" ] && ok || bad "text: $n targets shown"
grep -q "EXH-PROBE-001" "$tmp/all.txt" && ok || bad "text: ProxyLogon finding"

# 4. exit codes: 0 all CLEAN, 2 one INCOMPLETE, 1 one EXPOSED
"$bin" probe $net -q "$(tgt se-patched)" "$(tgt plain-http)" >/dev/null 2>&1
rc=$?; [ "$rc" -eq 0 ] && ok || bad "CLEAN targets: exit $rc"
"$bin" probe $net -q "$(tgt se-patched)" "$(tgt silent)" >/dev/null 2>&1
rc=$?; [ "$rc" -eq 2 ] && ok || bad "CLEAN + silent: exit $rc"
"$bin" probe $net -q "$(tgt silent)" "$(tgt e2016-cu23-nov22)" >/dev/null 2>&1
rc=$?; [ "$rc" -eq 1 ] && ok || bad "silent + EXPOSED: exit $rc"

# 5. without --check, no check request is sent
"$bin" probe $net --json "$(tgt e2016-cu19-old)" >"$tmp/nocheck.jsonl" 2>/dev/null
grep -q '"checks":{"proxylogon":"not_run","proxyshell":"not_run"}' "$tmp/nocheck.jsonl" && ok || bad "checks not run"
grep -q 'EXH-PROBE-00[12]' "$tmp/nocheck.jsonl" && bad "a check finding without --check" || ok

# 6. @FILE: comments and blank lines
printf '# servers\n\n  %s   # the patched one\n%s\n' "$(tgt se-patched)" "$(tgt se-newer)" >"$tmp/file"
"$bin" probe $net --json @"$tmp/file" >"$tmp/file.jsonl" 2>/dev/null
rc=$?
[ "$rc" -eq 0 ] && ok || bad "@FILE: exit $rc"
[ "$(grep -c '"type":"target"' "$tmp/file.jsonl")" -eq 2 ] && ok || bad "@FILE: not 2 targets"

# 7. usage errors
for args in "--check bogus x" "" "--parallel 0 x" "--rate -1 x" "--timeout 0 x" "@$tmp/none" "--format xml x"; do
    "$bin" probe $args >/dev/null 2>"$tmp/usage.err"
    rc=$?
    [ "$rc" -eq 2 ] && grep -q "^exhunt: " "$tmp/usage.err" && ok || bad "usage error '$args': exit $rc"
done
"$bin" probe --help | grep -q -- "--check NAME" && ok || bad "probe --help"
"$bin" help probe | grep -q "^usage: exhunt probe" && ok || bad "help probe"

# 8. --rate: 5 targets that answer the first request (X-OWA-Version) at 2
# requests a second take 2 s or more
"$bin" probe $net --rate 2 --json "$(tgt se-patched)" "$(tgt se-newer)" "$(tgt pl-patched)" \
    "$(tgt huge-body)" "$(tgt plain-http)" >"$tmp/rate.jsonl" 2>/dev/null
ms=$(sed -n 's/.*"type":"summary".*"elapsed_ms":\([0-9]*\).*/\1/p' "$tmp/rate.jsonl")
[ "${ms:-0}" -ge 2000 ] && ok || bad "--rate 2: 5 requests in ${ms}ms"

# 9. --parallel 1: the same classifications, one connection at a time
quick="se-patched e2016-cu23-nov22 e2016-cu19-old se-newer not-exchange refused"
for n in $quick; do echo "$n $(tgt "$n")"; done >"$tmp/quick"
awk '{ print $2 }' "$tmp/quick" >"$tmp/quick.list"
"$bin" probe $net --check all --parallel 1 --json @"$tmp/quick.list" 2>/dev/null |
    python3 "$here/normalize.py" "$tmp/quick" | sed '$d' >"$tmp/p1.norm"
for n in $quick; do grep "\"name\": \"$n\"" "$tmp/all.norm"; done >"$tmp/p1.expected"
diff -u "$tmp/p1.expected" "$tmp/p1.norm" >/dev/null && ok || bad "--parallel 1 classifies differently"

echo "probe: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
