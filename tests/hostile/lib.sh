# lib.sh: helpers for tests/hostile/cases.sh (sourced; needs BIN and REPO).
PASS=0 FAIL=0
ok()     { PASS=$((PASS + 1)); echo "ok - ${CASE:-}: $1"; }
not_ok() { FAIL=$((FAIL + 1)); echo "not ok - ${CASE:-}: $1"; }
check()  { local name=$1; shift; if "$@"; then ok "$name"; else not_ok "$name"; fi; }
skip()   { echo "# skip - ${CASE:-}: $1"; }
note()   { echo "# $*"; }

if [ "$(id -u)" -eq 0 ]; then HL_BASE=/tmp; else HL_BASE=${TMPDIR:-/tmp}; fi
HL_TMP=$(mktemp -d "$HL_BASE/exhunt-cases.XXXXXX") || exit 2
hl_cleanup() {
    [ -n "${HOSTILE_KEEP:-}" ] && { echo "# kept $HL_TMP"; return; }
    chmod -R u+rwX "$HL_TMP" 2>/dev/null; rm -rf "$HL_TMP"
}

# newdir NAME: a fresh empty directory for one case's evidence; prints it
newdir() { local d="$HL_TMP/$1"; rm -rf "$d"; mkdir -p "$d"; printf '%s\n' "$d"; }

# gen KIND DIR [ARG...]: run tests/hostile/gen/KIND.py DIR ARG... (python3)
gen() { local k=$1; shift; python3 "$REPO/tests/hostile/gen/$k.py" "$@"; }

# scan NAME ARGS...: run `exhunt scan ARGS...` with the clock frozen and a
# timeout; stdout, stderr to $HL_TMP/NAME.out/.err. Sets RC, OUT, ERR,
# SECS (wall seconds, 2 decimals) and KB (peak resident KB, or 0).
# HOSTILE_WRAP (e.g. the wine64 binary, for exhunt.exe) runs the binary
# through it, from $HL_TMP, with paths under $HL_TMP made relative.
scan() {
    local name=$1; shift
    OUT=$HL_TMP/$name.out ERR=$HL_TMP/$name.err
    if [ -n "${HOSTILE_WRAP:-}" ]; then
        local a args=()
        for a in "$@"; do args+=("${a#"$HL_TMP"/}"); done
        set -- "${args[@]}"
        cd "$HL_TMP" || return 1
    fi
    local t0 t1 tf=$HL_TMP/$name.time
    t0=$(date +%s%N)
    if [ -x /usr/bin/time ]; then
        EXH_NOW=2026-01-01T00:00:00Z NO_COLOR=1 /usr/bin/time -f '%M' -o "$tf" \
            timeout -k 10 "${HOSTILE_TIMEOUT:-120}" ${HOSTILE_WRAP:-} "$BIN" scan "$@" >"$OUT" 2>"$ERR" </dev/null
    else
        EXH_NOW=2026-01-01T00:00:00Z NO_COLOR=1 \
            timeout -k 10 "${HOSTILE_TIMEOUT:-120}" ${HOSTILE_WRAP:-} "$BIN" scan "$@" >"$OUT" 2>"$ERR" </dev/null
    fi
    RC=$?
    if [ -n "${HOSTILE_WRAP:-}" ] && [ ! -s "$OUT" ] && [ -z "${HL_RETRIED:-}" ]; then
        # wine under load now and then gives a run no standard output at all
        # (tests/windows/run.sh retries such runs too): once more
        note "scan $name: no output under ${HOSTILE_WRAP##*/}: running it once more"
        HL_RETRIED=1 scan "$name" "$@"
        return
    fi
    [ -n "${HOSTILE_WRAP:-}" ] && cd "$REPO"
    t1=$(date +%s%N)
    SECS=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')
    KB=$(tail -n 1 "$tf" 2>/dev/null | grep -E '^[0-9]+$' || echo 0)
    note "scan $name: exit $RC in ${SECS}s, ${KB} KB peak"
}

# In JSON Lines output ($OUT of a `scan NAME -f jsonl ...`):
verdict()      { tail -n 1 "${1:-$OUT}" | grep -o '"verdict":"[A-Z]*"' | cut -d'"' -f4; }
is_verdict()   { [ "$(verdict "${2:-$OUT}")" = "$1" ]; }
has_rule()     { grep '^{"type":"finding"' "${2:-$OUT}" | grep -qF "\"id\":\"$1\""; }
no_rule()      { ! has_rule "$@"; }
# has_finding RULE FIXED [FILE]: a finding of RULE whose line also holds FIXED
has_finding()  { grep '^{"type":"finding"' "${3:-$OUT}" | grep -F "\"id\":\"$1\"" | grep -qF -- "$2"; }
# has_error FIXED [FILE]: an error record holding FIXED
has_error()    { grep '^{"type":"error"' "${2:-$OUT}" | grep -qF -- "$1"; }
# within SECONDS: the last scan took at most SECONDS
within()       { awk -v s="$SECS" -v m="$1" 'BEGIN { exit !(s <= m) }'; }
# under_kb KB: the last scan's peak memory was at most KB (true when unknown)
under_kb()     { [ "$KB" -eq 0 ] || [ "$KB" -le "$1" ]; }
no_crash()     { ! grep -qaE 'AddressSanitizer|LeakSanitizer|runtime error:|Segmentation|Bus error' "${1:-$ERR}"; }
