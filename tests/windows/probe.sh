#!/bin/bash
# probe.sh EXE LINUX_BIN: `exhunt.exe probe` (WinHTTP) under wine64 against the
# loopback servers of tests/probe/server.py, beside the Linux build (libcurl):
# every target's stable fields (tests/probe/normalize.py, without the
# certificate subject, which the two stacks spell differently) must agree,
# and the exit codes too. Known differences of wine's WinHTTP, not compared:
#   silent            a request given up on at the timeout keeps no TLS facts
#   huge-header-line  wine hangs on a 200 KB header line (Windows and curl
#                     refuse it): the watchdog ends it as a timeout
set -u
exe=$1
lin=$2
case $exe in /*) ;; *) exe=$(pwd)/$exe ;; esac
case $lin in /*) ;; *) lin=$(pwd)/$lin ;; esac
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
SUITE=windows-probe
. "$here/wine-env.sh"
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "not ok - $*"; fail=$((fail + 1)); }
tmp=$(mktemp -d)
srv=
trap '[ -n "$srv" ] && kill "$srv" 2>/dev/null; rm -rf "$tmp"; [ -n "$WINESERVER" ] && "$WINESERVER" -k >/dev/null 2>&1' EXIT
python3 "$root/tests/probe/server.py" functional "$tmp/srv" 2>"$tmp/server.log" &
srv=$!
for _ in $(seq 100); do [ -s "$tmp/srv/ready" ] && break; sleep 0.1; done
[ -s "$tmp/srv/ready" ] || { cat "$tmp/server.log"; echo "$SUITE: 0 passed, 1 failed"; exit 1; }
awk '{ print $2 }' "$tmp/srv/targets" >"$tmp/list"
export EXH_NOW=2026-12-01T00:00:00Z
args="--timeout 3 --connect-timeout 2 --check all -f jsonl"
strip() { sed 's/"tls_subject": \("[^"]*"\|null\), //' | grep -v -e '"name": "silent"' -e '"name": "huge-header-line"'; }
"$lin" probe $args @"$tmp/list" >"$tmp/lin.jsonl" 2>/dev/null
lrc=$?
"$WINE" "$exe" probe $args @"$tmp/list" >"$tmp/win.jsonl" 2>"$tmp/win.err"
wrc=$?
[ "$lrc" -eq "$wrc" ] && ok || bad "exit codes differ: linux $lrc, windows $wrc"
python3 "$root/tests/probe/normalize.py" "$tmp/srv/targets" <"$tmp/lin.jsonl" | strip >"$tmp/lin.norm"
tr -d '\r' <"$tmp/win.jsonl" | python3 "$root/tests/probe/normalize.py" "$tmp/srv/targets" | strip >"$tmp/win.norm"
if diff -u "$tmp/lin.norm" "$tmp/win.norm"; then ok; else bad "exhunt.exe probe classifies differently"; fi
n=$(grep -c '"verdict"' "$tmp/win.norm")
[ "$n" -ge 20 ] && ok || bad "exhunt.exe probe reported $n targets"
# the silent server ends at the timeout too
grep -q '"errors": \["timeout"\].*"name": "silent"' <(tr -d '\r' <"$tmp/win.jsonl" | python3 "$root/tests/probe/normalize.py" "$tmp/srv/targets") && ok || bad "silent: not a timeout"
echo "$SUITE: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
