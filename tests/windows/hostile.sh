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
WINE=${WINE:-}
[ -n "$WINE" ] || WINE=$(command -v wine64 || { [ -x /usr/lib/wine/wine64 ] && echo /usr/lib/wine/wine64; } || true)
if [ -z "$WINE" ]; then
    echo "hostile-cases-windows: skipped: wine64 not found"
    exit 0
fi
export WINEPREFIX=${WINEPREFIX:-$root/build-win/wineprefix}
export WINEDEBUG=-all
WINESERVER=
for s in "$(dirname "$WINE")/wineserver" "$(dirname "$WINE")/wineserver64" "$(command -v wineserver || true)"; do
    [ -z "$WINESERVER" ] && [ -n "$s" ] && [ -x "$s" ] && WINESERVER=$s
done
if [ ! -f "$WINEPREFIX/system.reg" ]; then
    mkdir -p "$WINEPREFIX"
    "$WINE" wineboot --init >/dev/null 2>&1
    [ -n "$WINESERVER" ] && "$WINESERVER" -w >/dev/null 2>&1
fi
# one wineserver for the whole run (see run.sh)
[ -n "$WINESERVER" ] && "$WINESERVER" -p >/dev/null 2>&1
# the test-only build (make exhunt-crashtest.exe) for the per-file time budget
testbin=$(dirname "$exe")/exhunt-crashtest.exe
[ -x "$testbin" ] || testbin=
HOSTILE_TESTBIN=$testbin HOSTILE_WRAP=$WINE HOSTILE_NAME=hostile-cases-windows \
    bash "$root/tests/hostile/cases.sh" "$exe"
rc=$?
[ -n "$WINESERVER" ] && "$WINESERVER" -k >/dev/null 2>&1
exit $rc
