#!/usr/bin/env bash
# One generated case per defect of the kind "hostile evidence can stall, fool
# or escape the scan": each file in tests/hostile/cases/*.sh builds a small
# input (generators in tests/hostile/gen/), scans it and checks the findings,
# the verdict and that the scan finished in time.
# Usage: tests/hostile/cases.sh EXHUNT_BINARY [CASE-NAME-PATTERN...]
# (patterns are globs over tests/hostile/cases/*.sh names without .sh).
# HOSTILE_TIMEOUT (default 120) bounds every single scan; the whole suite is
# bounded by HOSTILE_SUITE_TIMEOUT (default 1800 s) through the hang guard.
set -u
[ $# -ge 1 ] || { echo "usage: $0 EXHUNT_BINARY [PATTERN...]" >&2; exit 2; }
BIN=$(readlink -f -- "$1" 2>/dev/null) || BIN=$1
[ -f "$BIN" ] && [ -x "$BIN" ] || { echo "hostile-cases: not an executable: $1" >&2; exit 2; }
shift
[ $# -ge 1 ] || set -- '*'
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

# hang guard: the whole suite must end, whatever a case does. The guard
# writes nowhere, so a pipe reading the suite's output is not held open by
# its sleep (which may outlive the suite by its timeout, harmlessly).
SUITE_PID=$$
( sleep "${HOSTILE_SUITE_TIMEOUT:-1800}"; kill -TERM "$SUITE_PID" ) >/dev/null 2>&1 </dev/null &
GUARD=$!
trap 'echo "hostile-cases: suite timeout (HOSTILE_SUITE_TIMEOUT)"; echo "${HOSTILE_NAME:-hostile-cases}: $PASS passed, $((FAIL + 1)) failed"; exit 1' TERM
trap 'kill "$GUARD" 2>/dev/null; hl_cleanup' EXIT

for c in "$HERE"/cases/*.sh; do
    [ -f "$c" ] || continue
    want=0
    for p in "$@"; do case $(basename "$c" .sh) in $p) want=1 ;; esac; done
    [ "$want" -eq 1 ] || continue
    CASE=$(basename "$c" .sh)
    note "== $CASE"
    # shellcheck disable=SC1090
    . "$c"
done
echo "${HOSTILE_NAME:-hostile-cases}: $PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
