# wine-env.sh: sourced by tests/windows/*.sh with SUITE (the summary name)
# and root (the repository) set. Finds wine64 (WINE) or skips the suite
# (with WINE_OPTIONAL=1 it leaves WINE empty and returns instead), sets
# WINEPREFIX (default build-win/wineprefix, made on first use) and
# WINEDEBUG, and starts one wineserver for the whole run (WINESERVER): the
# default one exits 3 s after its last client, and a client that connects
# just then fails ("recvmsg: Connection reset by peer").
WINE=${WINE:-}
if [ -z "$WINE" ]; then
    WINE=$(command -v wine64 || { [ -x /usr/lib/wine/wine64 ] && echo /usr/lib/wine/wine64; } || true)
fi
if [ -z "$WINE" ] && [ -n "${WINE_OPTIONAL:-}" ]; then
    return 0 # the caller (tests/dist/run.sh) skips its wine cases itself
fi
if [ -z "$WINE" ]; then
    echo "$SUITE: skipped: wine64 not found (Debian: apt-get install wine64)"
    exit 0
fi
export WINEPREFIX=${WINEPREFIX:-$root/build-win/wineprefix}
export WINEDEBUG=-all
WINESERVER=${WINESERVER:-}
for s in "$(dirname "$WINE")/wineserver" "$(dirname "$WINE")/wineserver64" "$(command -v wineserver || true)"; do
    [ -z "$WINESERVER" ] && [ -n "$s" ] && [ -x "$s" ] && WINESERVER=$s
done
if [ ! -f "$WINEPREFIX/system.reg" ]; then
    mkdir -p "$WINEPREFIX"
    "$WINE" wineboot --init >/dev/null 2>&1
    [ -n "$WINESERVER" ] && "$WINESERVER" -w >/dev/null 2>&1
fi
[ -n "$WINESERVER" ] && "$WINESERVER" -p >/dev/null 2>&1
