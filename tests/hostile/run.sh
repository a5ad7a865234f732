#!/usr/bin/env bash
# Hostile-input test for exhunt: builds a nasty fake system drive in a temp dir
# at runtime, scans it, and checks the scanner survives and still reports.
# Usage: tests/hostile/run.sh EXHUNT_BINARY      (see tests/hostile/README.md)
set -u

PASS=0 FAIL=0
ok()     { PASS=$((PASS + 1)); echo "ok - $1"; }
not_ok() { FAIL=$((FAIL + 1)); echo "not ok - $1"; }
check()  { local name=$1; shift; if "$@"; then ok "$name"; else not_ok "$name"; fi; }
skip()   { echo "# skip - $1"; }
note()   { echo "# $*"; }

[ $# -eq 1 ] || { echo "usage: $0 EXHUNT_BINARY" >&2; exit 2; }
BIN=$(readlink -f -- "$1" 2>/dev/null) || BIN=$1
[ -f "$BIN" ] && [ -x "$BIN" ] || { echo "hostile: not an executable: $1" >&2; exit 2; }

# ---- temp dir (root case: must be reachable by user nobody) ---------------
if [ "$(id -u)" -eq 0 ]; then TMPBASE=/tmp; else TMPBASE=${TMPDIR:-/tmp}; fi
TMP=$(mktemp -d "$TMPBASE/exhunt-hostile.XXXXXX") || exit 2
cleanup() { [ -n "${HOSTILE_KEEP:-}" ] && { echo "# kept $TMP"; return; }; chmod -R u+rwX "$TMP" 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT
trap 'exit 130' INT TERM
chmod 755 "$TMP"

TREE=$TMP/t
V15="$TREE/Program Files/Microsoft/Exchange Server/V15"
HP="$V15/Logging/HttpProxy"
ECPS="$V15/Logging/ECP/Server"
mkdir -p "$HP"/{Ecp,Mapi,Autodiscover,Owa,Ews,Rpc} "$ECPS"

FIELDS='DateTime,RequestId,MajorVersion,MinorVersion,BuildVersion,RevisionVersion,ClientRequestId,Protocol,UrlHost,UrlStem,ProtocolAction,AuthenticationType,IsAuthenticated,AuthenticatedUser,Organization,AnchorMailbox,UserAgent,ClientIpAddress,ServerHostName,HttpStatus,BackEndStatus,ErrorCode,Method'
BIG=104857600   # 100 MB

# header FIELDLIST: the 5-line HttpProxy log header
hp_header() {
    printf '%s\r\n#Software: Microsoft Exchange Server\r\n#Version: 15.01.2507.016\r\n' "$1"
    printf '#Log-type: HttpProxy Logs\r\n#Fields: %s\r\n' "$1"
}
# attack_row IP [USERAGENT]: a ProxyLogon SSRF (EXH-PL-003) row
attack_row() {
    printf '2021-03-03T02:11:05.120Z,6f1c3d2a-0b7e-4a53-9d1e-%012d,15,1,2507,16,,Mapi,mail.example.com,/mapi/emsmdb/,,,false,,,ServerInfo~a]@EXCH01:444/mapi/emsmdb/?#,%s,%s,EXCH01,200,200,,POST\r\n' \
        "${1##*.}" "${2:-python-requests/2.25.1}" "$1"
}
as_bytes() { head -c "$1" /dev/zero | tr '\0' "$2"; }   # N copies of a char

note "generating hostile tree in $TMP"
# 1. 2 MB of binary junk (deterministic per awk implementation)
LC_ALL=C awk 'BEGIN{srand(20210303); for(i=0;i<2097152;i++) printf "%c", int(rand()*256)}' \
    > "$HP/Ecp/HttpProxy_2021030300-1.LOG"
# 2. a valid log, made unreadable later
{ hp_header "$FIELDS"; attack_row 203.0.113.1; } > "$HP/Ecp/HttpProxy_2021030301-1.LOG"
# 3. empty logs, and a directory named like a log
: > "$HP/Ecp/HttpProxy_2021030302-1.LOG"; : > "$ECPS/ECPServer20210303-1.LOG"
mkdir "$HP/Ecp/HttpProxy_2021030303-1.LOG"; : > "$HP/Ecp/HttpProxy_2021030303-1.LOG/x"
# 4. 100 MB UserAgent line, then an attack row that MUST still be found
{ hp_header "$FIELDS"
  printf '2021-03-03T02:10:00.000Z,00000000-0000-0000-0000-000000000001,15,1,2507,16,,Mapi,mail.example.com,/mapi/emsmdb/,,,false,,,,'
  as_bytes $BIG A
  printf ',198.51.100.1,EXCH01,200,200,,POST\r\n'
  attack_row 203.0.113.7; } > "$HP/Mapi/HttpProxy_2021030304-1.LOG"
# 5. 100 MB line with the ServerInfo~ marker near its end
{ hp_header "$FIELDS"
  printf '2021-03-03T02:10:30.000Z,00000000-0000-0000-0000-000000000002,15,1,2507,16,,Mapi,mail.example.com,/mapi/'
  as_bytes $BIG B
  printf ',,,false,,,ServerInfo~a]@EXCH01:444/mapi/emsmdb/?#,curl/7.68.0,203.0.113.8,EXCH01,200,200,,POST\r\n'
} > "$HP/Mapi/HttpProxy_2021030305-1.LOG"
# 6. truncated: row cut inside a quoted field, no newline
{ hp_header "$FIELDS"
  printf '2021-03-03T02:13:00.000Z,00000000-0000-0000-0000-000000000003,15,1,2507,16,,Ecp,mail.example.com,"/ecp/unfinis'
} > "$HP/Ecp/HttpProxy_2021030306-1.LOG"
# 7. invalid UTF-8 and terminal control bytes inside an attack row
{ hp_header "$FIELDS"
  attack_row 203.0.113.66 $'Mozilla\xff\xfe\xc3\x28 lone\x80 \x1b[31mRED\x07'
} | LC_ALL=C sed 's/@EXCH01:444/@x:444/' > "$HP/Autodiscover/HttpProxy_2021030307-1.LOG"
# 8. symlink loops and a FIFO (scanner must not hang on it)
ln -s . "$HP/Owa/loop"
ln -s HttpProxy_2021030309-1.LOG "$HP/Owa/HttpProxy_2021030308-1.LOG"
ln -s HttpProxy_2021030308-1.LOG "$HP/Owa/HttpProxy_2021030309-1.LOG"
mkfifo "$HP/Owa/HttpProxy_2021030310-1.LOG"
# 9. #Fields: with 10,000 columns, then rows with 10,001 and 3 fields
COLS=$(seq -s, -f 'c%.0f' 1 10000)
{ hp_header "$COLS"; seq -s, -f '%.0f' 1 10001; printf 'a,b,c\r\n'; } > "$HP/Ews/HttpProxy_2021030311-1.LOG"
# 10. ECP server log with an unclosed quote running to EOF
{ printf '#Software: Microsoft Exchange Server\r\n#Version: 15.01.2507.016\r\n#Log-type: ECP Server Log\r\n'
  printf '#Fields: TimeStamp,ServerName,EventID,EventData\r\n'
  printf '2021-03-03T02:14:00.000Z,EXCH01,S:Cmdlet,"S:CMD=Set-OabVirtualDirectory.ExternalUrl=http://f/<script>\r\n'
  printf 'more,rows,"still,inside\r\nthe quote\r\n'
} > "$ECPS/ECPServer20210303-2.LOG"
# 11. CR-only line endings; a lone quote; NUL-only files; comma-only lines
{ hp_header "$FIELDS"; attack_row 203.0.113.12; } | tr -d '\n' > "$HP/Ews/HttpProxy_2021030312-1.LOG"
printf '"' > "$HP/Ews/HttpProxy_2021030313-1.LOG"
head -c 65536 /dev/zero > "$HP/Ews/.LOG"
head -c 65536 /dev/zero > "$HP/Ews/HttpProxy_2021030314-1.LOG"
{ hp_header "$FIELDS"; printf ',,,,,,\r\n,,,,,,,,,,,,,,,,,,,,,,\r\n,\r\n'; } > "$HP/Ews/HttpProxy_2021030315-1.LOG"
# 12. a directory chain 200 levels deep with a log at the bottom
DEEP="$HP/Ecp/deep$(printf '/d%.0s' $(seq 200))"
mkdir -p "$DEEP" && { hp_header "$FIELDS"; attack_row 203.0.113.16; } > "$DEEP/HttpProxy_2021030316-1.LOG"
# 13. ESC and newline inside a log file *name* (paths must be escaped too)
{ hp_header "$FIELDS"; attack_row 203.0.113.77; } > "$HP/Rpc/HttpProxy_2021030317-1"$'\x1b[31m\n'".LOG"
# 14. event logs: an intact one with a hit among a truncated copy, a valid header
#     followed by junk, and the .evtx inputs that once hung the reader or blew up
#     its memory (fuzz/corpus/evtx/crash-*)
REPO=$(cd "$(dirname "$0")/../.." && pwd)
EVL="$TREE/Windows/System32/winevt/Logs"
OAB="$REPO/tests/e2e/evtx-oab-script/input/Windows/System32/winevt/Logs/MSExchange Management.evtx"
mkdir -p "$EVL"
cp -- "$OAB" "$EVL/MSExchange Management.evtx"
head -c 9000 -- "$OAB" > "$EVL/Truncated.evtx"
{ head -c 4096 -- "$OAB"; head -c 70000 -- "$BIN"; } > "$EVL/Junk.evtx"
for f in "$REPO"/fuzz/corpus/evtx/crash-*; do cp -- "$f" "$EVL/$(basename -- "$f").evtx"; done
# 15. the other readers' damaged inputs where the scan meets them: archives in
#     ProgramData (zip), dumps in Windows/Temp beside an intact LSASS dump
#     (minidump), pages in aspnet_client (server code, UTF-16 and odd sizes
#     included), and a hostile --ioc list (the fuzz corpora's named files)
PD="$TREE/ProgramData" WT="$TREE/Windows/Temp" AC="$TREE/inetpub/wwwroot/aspnet_client"
mkdir -p "$PD" "$WT" "$AC"
for f in "$REPO"/fuzz/corpus/zip/*.zip; do cp -- "$f" "$PD/"; done
for f in "$REPO"/fuzz/corpus/minidump/*.dmp; do cp -- "$f" "$WT/lsass-$(basename -- "$f")"; done
cp -- "$REPO/examples/compromised/Windows/Temp/lsass.dmp" "$WT/lsass.dmp"
for f in "$REPO"/fuzz/corpus/code/*; do cp -- "$f" "$AC/$(basename -- "$f").aspx"; done
# 16. pages built to stall the code analysis: 40,000 nested eval( (an error
#     record, not hours), a 20,000-link chain of string variables, 3,000
#     functions that call each other, beside a real shell that must be found
{ printf '<%% '; as_bytes 40000 E | sed 's/E/eval(/g'; } > "$AC/nested-eval.aspx"
awk 'BEGIN { print "<%"; for (i = 1; i < 20000; i++) printf "x%d = \"a\" & x%d\n", i, i - 1; print "Execute x19999"; print "%>" }' > "$AC/chain.asp"
awk 'BEGIN { print "<%"; for (i = 0; i < 3000; i++) printf "Function f%d(a)\n f%d = f%d(a)\nEnd Function\n", i, i, i + 1; print "%>" }' > "$AC/functions.asp"
printf '<%%@ Page Language="Jscript"%%><%%eval(Request.Item["hostile"],"unsafe");%%>' > "$AC/real-shell.aspx"
cat "$REPO"/fuzz/corpus/ioc/* > "$TMP/hostile-iocs.txt"
head -c 70000 -- "$BIN" >> "$TMP/hostile-iocs.txt"

# ---- privileges: chmod 000 only blocks non-root readers -------------------
UNREAD="$HP/Ecp/HttpProxy_2021030301-1.LOG"
RUN=("$BIN") UNREAD_CHECK=1
if [ "$(id -u)" -eq 0 ]; then
    if command -v setpriv >/dev/null 2>&1; then
        mkdir "$TMP/bin" && cp -- "$BIN" "$TMP/bin/exhunt" && chmod 755 "$TMP/bin" "$TMP/bin/exhunt"
        chmod -R a+rX "$TREE"
        RUN=(setpriv --reuid=65534 --regid=65534 --clear-groups "$TMP/bin/exhunt")
        note "running as root: scans run as uid 65534 via setpriv"
    else
        UNREAD_CHECK=0
        note "running as root without setpriv: the unreadable-file check is skipped"
    fi
fi
chmod 000 "$UNREAD"
mkdir "$TMP/out"

# scan NAME ARGS...: run one scan, stdout/stderr to $TMP/out/NAME.{out,err}, rc to $RC
scan() {
    local name=$1; shift
    note "scan $name: exhunt scan $*"
    EXH_NOW=2026-01-01T00:00:00Z timeout -k 10 "${HOSTILE_TIMEOUT:-600}" "${RUN[@]}" scan "$@" \
        > "$TMP/out/$name.out" 2> "$TMP/out/$name.err" < /dev/null
    RC=$?
    note "scan $name: exit $RC, $(wc -l < "$TMP/out/$name.out") stdout lines"
}
rc_ok()      { [ "$1" -eq 1 ] || [ "$1" -eq 2 ]; }
no_sanitizer() { ! grep -qaE 'AddressSanitizer|LeakSanitizer|runtime error:|Segmentation' "$1"; }
no_esc()     { ! LC_ALL=C grep -qa $'\x1b' "$1"; }
has_line()   { LC_ALL=C grep -a -- "$2" "$1" | LC_ALL=C grep -qaF -- "$3"; }  # FILE PREFIX-RE FIXED

# valid_jsonl FILE: non-empty, every line a JSON object (strict UTF-8)
valid_jsonl() {
    [ -s "$1" ] || return 1
    if command -v python3 >/dev/null 2>&1; then
        python3 -c '
import json, sys
for n, raw in enumerate(open(sys.argv[1], "rb"), 1):
    try:
        if not isinstance(json.loads(raw.decode("utf-8")), dict): raise ValueError("not an object")
    except Exception as e:
        sys.exit("# line %d: %s" % (n, e))' "$1" || return 1
    else
        if command -v iconv >/dev/null 2>&1; then iconv -f UTF-8 -t UTF-8 "$1" >/dev/null || return 1; fi
        LC_ALL=C awk '!/^\{"type":/ || !/\}\r?$/ { bad = 1; print "# line " NR " malformed" > "/dev/stderr" }
                      END { exit bad }' "$1" || return 1
    fi
}
last_is_summary() { tail -n 1 "$1" | grep -q '^{"type":"summary"'; }
summary_rc()      { tail -n 1 "$1" | grep -o '"exit_code":[0-9]*' | head -n 1 | cut -d: -f2; }

# ---- 1. main JSON Lines scan ----------------------------------------------
scan jsonl -f jsonl "$TREE"; RC_J=$RC
J=$TMP/out/jsonl.out
check "jsonl: exit code is 1 or 2 (got $RC_J)"          rc_ok "$RC_J"
check "jsonl: no sanitizer report or segfault on stderr" no_sanitizer "$TMP/out/jsonl.err"
check "jsonl: stdout is valid JSON Lines"                valid_jsonl "$J"
check "jsonl: last line is the summary"                  last_is_summary "$J"
check "jsonl: at least one error line"                   grep -q '^{"type":"error"' "$J"
if [ "$UNREAD_CHECK" -eq 1 ]; then
    check "jsonl: an error line names the unreadable file" has_line "$J" '^{"type":"error"' HttpProxy_2021030301-1.LOG
else
    skip "jsonl: an error line names the unreadable file (root without setpriv)"
fi
after_giant() { LC_ALL=C grep -a '^{"type":"finding"' "$J" | LC_ALL=C grep -aF '"203.0.113.7"' | LC_ALL=C grep -qaF EXH-PL-003; }
check "jsonl: EXH-PL-003 finding for the row after the 100 MB line" after_giant
check "jsonl: finding for the invalid UTF-8 row"         has_line "$J" '^{"type":"finding"' '"203.0.113.66"'
check "jsonl: the intact event log's EXH-EV-002 among damaged ones" has_line "$J" '^{"type":"finding"' '"EXH-EV-002"'
check "jsonl: an error line names the truncated .evtx"    has_line "$J" '^{"type":"error"' 'Truncated.evtx'
check "jsonl: an error line names the .evtx with junk chunks" has_line "$J" '^{"type":"error"' 'Junk.evtx'
check "jsonl: an error line names the fan-out .evtx"      has_line "$J" '^{"type":"error"' 'crash-nested-21-fanout.evtx'
check "jsonl: the intact LSASS dump's EXH-ART-001 among damaged dumps" has_line "$J" '^{"type":"finding"' '"EXH-ART-001"'
check "jsonl: an error line names the page nested beyond the analysis budget" has_line "$J" '^{"type":"error"' 'nested-eval.aspx'
check "jsonl: the real shell among the stalling pages is found (EXH-WS-001)" has_line "$J" '"EXH-WS-001"' 'real-shell.aspx'
check "jsonl: no raw ESC byte in stdout"                 no_esc "$J"
SRC=$(summary_rc "$J")
check "jsonl: summary exit_code ($SRC) equals process exit code ($RC_J)" [ "${SRC:-x}" = "$RC_J" ]
# informational only: behaviour on these inputs is not part of the contract
for ip in 203.0.113.8 203.0.113.12 203.0.113.16 203.0.113.77; do
    has_line "$J" '^{"type":"finding"' "\"$ip\"" && note "info: finding for $ip" || note "info: no finding for $ip"
done

# ---- 1b. a hostile --ioc list (fuzz corpus files and binary junk) ----------
scan ioc -f jsonl --ioc "$TMP/hostile-iocs.txt" "$TREE"; RC_I=$RC
check "ioc: exit code is 1 or 2 (got $RC_I)"            rc_ok "$RC_I"
check "ioc: no sanitizer report or segfault on stderr"   no_sanitizer "$TMP/out/ioc.err"
check "ioc: stdout is valid JSON Lines"                  valid_jsonl "$TMP/out/ioc.out"
check "ioc: the findings of the scan without it are all still there" \
    sh -c 'for r in $(grep -o "\"rule\":{\"id\":\"[A-Z0-9-]*\"" "$1" | sort -u); do grep -qF "$r" "$2" || exit 1; done' _ "$J" "$TMP/out/ioc.out"

# ---- 2. text output must not leak terminal escapes ------------------------
scan text -f text --color never "$TREE"; RC_T=$RC
check "text: exit code is 1 or 2 (got $RC_T)"           rc_ok "$RC_T"
check "text: no sanitizer report or segfault on stderr"  no_sanitizer "$TMP/out/text.err"
check "text: no raw ESC byte in stdout"                  no_esc "$TMP/out/text.out"

# ---- 3. -j 1 must give byte-identical JSON Lines --------------------------
scan j1 -f jsonl -j 1 "$TREE"; RC_1=$RC
check "j1: exit code is 1 or 2 (got $RC_1)"             rc_ok "$RC_1"
check "j1: no sanitizer report or segfault on stderr"    no_sanitizer "$TMP/out/j1.err"
if cmp -s "$J" "$TMP/out/j1.out"; then
    ok "j1: -j 1 output byte-identical to default -j"
else
    not_ok "j1: -j 1 output byte-identical to default -j"
    diff "$J" "$TMP/out/j1.out" | LC_ALL=C cut -c1-300 | head -n 20 | sed 's/^/#   /'
fi

if [ "$FAIL" -gt 0 ]; then   # help debugging: show the start of each stderr
    for f in "$TMP"/out/*.err; do
        [ -s "$f" ] && { note "--- $(basename "$f") (head)"; head -n 5 "$f" | LC_ALL=C cut -c1-300 | sed 's/^/#   /'; }
    done
fi
echo "hostile: $PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
