#!/bin/sh
# hostile.sh EXE: the hostile-input cases (tests/hostile/cases.sh) with the
# Windows build under wine64: the same inputs, findings and verdicts as on
# Linux. Peak-memory checks measure wine's loader there, not exhunt (they
# pass vacuously); the time bounds hold.
set -u
exe=$1
case $exe in /*) ;; *) exe=$(pwd)/$exe ;; esac
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
SUITE=hostile-cases-windows
. "$here/wine-env.sh"
# the test-only build (make exhunt-crashtest.exe) for the per-file time budget
testbin=$(dirname "$exe")/exhunt-crashtest.exe
[ -x "$testbin" ] || testbin=
HOSTILE_TESTBIN=$testbin HOSTILE_WRAP=$WINE HOSTILE_NAME=hostile-cases-windows \
    bash "$root/tests/hostile/cases.sh" "$exe"
rc=$?
[ -n "$WINESERVER" ] && "$WINESERVER" -k >/dev/null 2>&1
exit $rc
