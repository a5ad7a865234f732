#!/bin/sh
# run.sh EXHUNT: `exhunt scan --collect DIR`.
#  1. The bundled compromised example (a copy): every file a finding names is
#     in DIR under its path, pages defanged; the copies' SHA-256 equal the
#     sources' and the manifest's (a `sha256sum -c` list built from
#     manifest.jsonl); the copies keep the sources' mtime; the sources are
#     unchanged (content and times, before and after); manifest.csv has the
#     same rows; report.jsonl is what -f jsonl prints.
#  2. Refusals (exit 2, nothing made): DIR inside a PATH, DIR that is a PATH,
#     DIR reached through a link into a PATH, a non-empty DIR without
#     --collect-append, DIR that is a file, --collect-append alone. With
#     --collect-append: the manifest grows, identical copies are not made
#     again, and the report goes to report-2.jsonl.
#  3. A generated tree in two PATHs: hostile file names (a reserved device
#     name, a trailing dot, control and bidi characters), a 3 MB log copied
#     in 4 KiB chunks; names under N-NAME/, nothing outside DIR, no control
#     characters in any name, hashes equal.
#  4. A copy that cannot be made (its folder's name taken by a file in DIR):
#     an error record in the report, the other files still copied, and the
#     exit code of the findings.
#  5. With the test-only build (COLLECT_TESTBIN, make CRASHTEST=1): a source
#     that vanished after the scan and one that changed while copied give
#     error records; the scan goes on. One that grew while copied (a log
#     written to) is no error: copied up to its size at open, "grew" in the
#     manifest, the verdict as without --collect.
#  6. Evidence named manifest.jsonl, MANIFEST.CSV, report.jsonl,
#     report-2.jsonl at the top of a PATH: copied as _manifest.jsonl ...,
#     intact, the collection's own files apart. (tests/unit/test_collect.c also checks
#     a vanished file, and that a clean scan becomes INCOMPLETE.)
# Running as root, chmod 000 cannot make a file unreadable: 4 and 5 stand in.
set -u
bin=$1
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
check() {
    if eval "$2"; then echo "ok - $1"; pass=$((pass + 1)); else echo "not ok - $1"; fail=$((fail + 1)); fi
}
export EXH_NOW=2026-01-01T00:00:00Z

# the state of a tree: every file's hash, size and modification time
snapshot() {
    (cd "$1" && find . -type f -exec sha256sum {} + | sort && find . -exec stat -c '%n %s %y' {} + | sort)
}
# manifest.jsonl -> "sha256  DIR/copy" lines, and "sha256  source" lines
manifest_list() {
    python3 -c '
import json, sys
d, what = sys.argv[1], sys.argv[2]
for line in open(d + "/manifest.jsonl", encoding="utf-8"):
    m = json.loads(line)
    print(m["sha256"] + "  " + (d + "/" + m["copy"] if what == "copy" else m["source"]))
' "$1" "$2"
}
# the distinct files on disk the findings of a JSON Lines report name (a
# member of an archive, ARCHIVE!MEMBER, is its archive: that is what is copied)
finding_paths() {
    python3 -c '
import json, re, sys
s = set()
for line in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(line)
    if r["type"] == "finding":
        p = (r.get("file") or {}).get("path") or ((r.get("log") or {}).get("file") or {}).get("path")
        if p:
            s.add(re.sub(r"(?i)(\.(zip|gz|tgz))!.*$", r"\1", p))
print(len(s))
' "$1"
}
# file names that IIS would run or serve, or Windows would run
RUNNABLE='\.(aspx|asp|ashx|asmx|asax|ascx|axd|config|cshtml|vbhtml|svc|php|jsp|exe|dll|ps1|psm1|bat|cmd|vbs|vbe|js|jse|wsf|hta|scr|com|pif|msi|lnk|html?|svg)$'

# 1. the example
cp -R "$root/examples/compromised" "$tmp/ev"
snapshot "$tmp/ev" >"$tmp/before"
"$bin" scan -f jsonl "$tmp/ev" >"$tmp/plain.jsonl" 2>/dev/null
"$bin" scan --collect "$tmp/out" "$tmp/ev" >"$tmp/text.out" 2>"$tmp/err"
rc=$?
check "the example: exit 1 (COMPROMISED) with --collect" '[ $rc -eq 1 ]'
snapshot "$tmp/ev" >"$tmp/after"
check "the sources are unchanged (content, size, mtime)" 'cmp -s "$tmp/before" "$tmp/after"'
check "manifest.jsonl, manifest.csv and report.jsonl are written" \
    '[ -s "$tmp/out/manifest.jsonl" ] && [ -s "$tmp/out/manifest.csv" ] && [ -s "$tmp/out/report.jsonl" ]'
check "report.jsonl is the -f jsonl report (with -f text chosen)" 'cmp -s "$tmp/plain.jsonl" "$tmp/out/report.jsonl"'
n=$(finding_paths "$tmp/plain.jsonl")
check "one manifest line per file the findings name ($n)" '[ "$(wc -l <"$tmp/out/manifest.jsonl")" -eq "$n" ] && [ "$n" -gt 5 ]'
check "manifest.csv: a header and the same rows" '[ "$(wc -l <"$tmp/out/manifest.csv")" -eq $((n + 1)) ]'
check "every copy is in DIR: the manifest files and the copies only" \
    '[ "$(find "$tmp/out" -type f | wc -l)" -eq $((n + 3)) ]'
manifest_list "$tmp/out" copy >"$tmp/sums.copy"
manifest_list "$tmp/out" source >"$tmp/sums.source"
check "sha256sum -c on the copies agrees with the manifest" 'sha256sum -c --quiet "$tmp/sums.copy"'
check "sha256sum -c on the sources agrees with the manifest" 'sha256sum -c --quiet "$tmp/sums.source"'
check "no copied name ends in a page or program extension" \
    '! find "$tmp/out" -type f | grep -Eiq "$RUNNABLE"'
check "the web shells are there, defanged" \
    '[ -f "$tmp/out/inetpub/wwwroot/aspnet_client/discover.aspx.quarantine" ] && [ -f "$tmp/out/Program Files/Microsoft/Exchange Server/V15/FrontEnd/HttpProxy/owa/auth/OutlookJP2.aspx.quarantine" ]'
check "the dump, the archive, the event log and a log are there under their paths" \
    '[ -f "$tmp/out/Windows/Temp/lsass.dmp" ] && [ -f "$tmp/out/ProgramData/it.zip" ] && [ -f "$tmp/out/Windows/System32/winevt/Logs/MSExchange Management.evtx" ] && [ -f "$tmp/out/inetpub/logs/LogFiles/W3SVC1/u_ex210303.log" ]'
check "a copy keeps the source's mtime" \
    '[ "$(stat -c %Y "$tmp/out/Windows/Temp/lsass.dmp")" = "$(stat -c %Y "$tmp/ev/Windows/Temp/lsass.dmp")" ]'
check "the manifest names the rules, the size and the times" \
    'grep "lsass.dmp" "$tmp/out/manifest.jsonl" | grep -q "\"size\":4488,.*\"mtime\":\"[0-9T:.-]*Z\",\"ctime\":.*\"rules\":\\[\"EXH-ART-001\"\\],\"status\":\"copied\""'
check "the text report is unchanged by --collect" \
    '"$bin" scan "$tmp/ev" 2>/dev/null | cmp -s - "$tmp/text.out"'
check "stderr says how many files were collected" 'grep -q "^exhunt: --collect: $n files" "$tmp/err"'

# 2. refusals, and --collect-append
"$bin" scan --collect "$tmp/ev/sub/dir" "$tmp/ev" >/dev/null 2>"$tmp/err"
rc=$?
check "DIR inside the PATH: exit 2, nothing made" '[ $rc -eq 2 ] && [ ! -e "$tmp/ev/sub" ] && grep -q "inside the evidence" "$tmp/err"'
"$bin" scan --collect "$tmp/ev" "$tmp/ev" >/dev/null 2>&1
check "DIR that is the PATH: exit 2" '[ $? -eq 2 ]'
ln -s "$tmp/ev" "$tmp/link"
"$bin" scan --collect "$tmp/link/x" "$tmp/ev" >/dev/null 2>&1
rc=$?
check "DIR through a link into the PATH: exit 2, nothing made" '[ $rc -eq 2 ] && [ ! -e "$tmp/ev/x" ]'
"$bin" scan --exchange-root "$tmp/ev/Program Files/Microsoft/Exchange Server/V15" \
    --collect "$tmp/ev/Program Files/Microsoft/Exchange Server/V15/c" "$tmp/ev/inetpub" >/dev/null 2>&1
rc=$?
check "DIR inside --exchange-root: exit 2, nothing made" \
    '[ $rc -eq 2 ] && [ ! -e "$tmp/ev/Program Files/Microsoft/Exchange Server/V15/c" ]'
snapshot "$tmp/out" >"$tmp/out.before"
"$bin" scan --collect "$tmp/out" "$tmp/ev" >/dev/null 2>"$tmp/err"
rc=$?
check "a non-empty DIR without --collect-append: exit 2, DIR untouched" \
    '[ $rc -eq 2 ] && grep -q "not empty" "$tmp/err" && snapshot "$tmp/out" | cmp -s - "$tmp/out.before"'
: >"$tmp/afile"
"$bin" scan --collect "$tmp/afile" "$tmp/ev" >/dev/null 2>&1
check "DIR that is a file: exit 2" '[ $? -eq 2 ]'
"$bin" scan --collect-append "$tmp/ev" >/dev/null 2>&1
check "--collect-append without --collect: exit 2" '[ $? -eq 2 ]'
"$bin" scan --collect "$tmp/out" --collect-append "$tmp/ev" >/dev/null 2>&1
rc=$?
check "with --collect-append: exit 1" '[ $rc -eq 1 ]'
check "the manifest is appended to (twice the lines, the second ones present)" \
    '[ "$(wc -l <"$tmp/out/manifest.jsonl")" -eq $((2 * n)) ] && [ "$(grep -c "\"status\":\"present\"" "$tmp/out/manifest.jsonl")" -eq "$n" ]'
check "manifest.csv: one header, then rows" \
    '[ "$(wc -l <"$tmp/out/manifest.csv")" -eq $((2 * n + 1)) ] && [ "$(grep -c "^path,source,copy" "$tmp/out/manifest.csv")" -eq 1 ]'
check "identical copies are not made again; the report goes to report-2.jsonl" \
    '[ "$(find "$tmp/out" -type f | wc -l)" -eq $((n + 4)) ] && cmp -s "$tmp/plain.jsonl" "$tmp/out/report-2.jsonl"'
check "the sources are still unchanged" 'snapshot "$tmp/ev" | cmp -s - "$tmp/before"'

# 3. a generated tree in two PATHs: hostile names, a big log in small chunks
shell="$root/examples/compromised/inetpub/wwwroot/aspnet_client/discover.aspx"
mkdir -p "$tmp/gen/a/inetpub/wwwroot/aspnet_client" "$tmp/gen/b/W3SVC1"
for name in 'con.aspx' 'x.aspx.' "$(printf 'tab\tname.aspx')" "$(printf 'bidi\342\200\256gpj.aspx')" \
    "$(printf 'esc\033[31m.aspx')" 'web.config.aspx' 'AUX'; do
    cp "$shell" "$tmp/gen/a/inetpub/wwwroot/aspnet_client/$name"
done
log="$root/examples/compromised/inetpub/logs/LogFiles/W3SVC1/u_ex210303.log"
{
    cat "$log"
    i=0
    while [ $i -lt 750 ]; do grep -v '^#' "$log"; i=$((i + 1)); done
} >"$tmp/gen/b/W3SVC1/u_ex210303.log"
snapshot "$tmp/gen" >"$tmp/gen.before"
"$bin" scan -f jsonl "$tmp/gen/a" "$tmp/gen/b" >"$tmp/gen.jsonl" 2>/dev/null
ls -A "$tmp" | grep -v '^ls\.' >"$tmp/ls.before"
EXH_COLLECT_CHUNK=4096 "$bin" scan -f jsonl --collect "$tmp/gout" "$tmp/gen/a" "$tmp/gen/b" >"$tmp/gen2.jsonl" 2>/dev/null
rc=$?
check "two PATHs: exit 1" '[ $rc -eq 1 ]'
check "the big log is over 2 MB" '[ "$(stat -c %s "$tmp/gen/b/W3SVC1/u_ex210303.log")" -gt 2000000 ]'
gn=$(finding_paths "$tmp/gen.jsonl")
check "one manifest line per file named ($gn)" '[ "$(wc -l <"$tmp/gout/manifest.jsonl")" -eq "$gn" ] && [ "$gn" -ge 5 ]'
check "the copies are under 1-a/ and 2-b/" \
    '[ -f "$tmp/gout/2-b/W3SVC1/u_ex210303.log" ] && [ -d "$tmp/gout/1-a/inetpub/wwwroot/aspnet_client" ]'
manifest_list "$tmp/gout" copy >"$tmp/gsums"
check "sha256sum -c on the copies (the big log copied in 4 KiB chunks)" 'sha256sum -c --quiet "$tmp/gsums"'
check "the big log's copy equals it" 'cmp -s "$tmp/gen/b/W3SVC1/u_ex210303.log" "$tmp/gout/2-b/W3SVC1/u_ex210303.log"'
ls -A "$tmp" | grep -v -e '^gout$' -e '^gen2.jsonl$' -e '^gsums$' -e '^ls\.' >"$tmp/ls.after"
check "nothing was written outside DIR" 'snapshot "$tmp/gen" | cmp -s - "$tmp/gen.before" && cmp -s "$tmp/ls.before" "$tmp/ls.after"'
check "no copied name holds a control character" '[ -z "$(find "$tmp/gout" -name "*[[:cntrl:]]*")" ]'
check "no copied name holds a bidi control" '! find "$tmp/gout" | grep -q "$(printf "\342\200\256")"'
check "no copied name ends in a page or program extension, nor a dot" \
    '! find "$tmp/gout" -type f | grep -Eiq "$RUNNABLE|\\.\$"'
check "a reserved device name is prefixed" '[ -f "$tmp/gout/1-a/inetpub/wwwroot/aspnet_client/_con.aspx.quarantine" ] || ! grep -q "aspnet_client/con.aspx" "$tmp/gen.jsonl"'
check "report.jsonl equals the -f jsonl output" 'cmp -s "$tmp/gen.jsonl" "$tmp/gout/report.jsonl" && cmp -s "$tmp/gen.jsonl" "$tmp/gen2.jsonl"'

# 4. a copy that cannot be made: an error record, the others go on
mkdir "$tmp/blocked"
: >"$tmp/blocked/inetpub" # the folder the web shell and the IIS log would go in
"$bin" scan -f jsonl --collect "$tmp/blocked" --collect-append "$tmp/ev" >"$tmp/blk.jsonl" 2>/dev/null
rc=$?
check "a copy that fails: still exit 1 (findings win)" '[ $rc -eq 1 ]'
check "it is an error record naming the file and --collect" \
    'grep "\"type\":\"error\"" "$tmp/blk.jsonl" | grep "inetpub/wwwroot/aspnet_client/discover.aspx" | grep -q "collect"'
check "the summary counts it" 'grep "\"type\":\"summary\"" "$tmp/blk.jsonl" | grep -q "\"errors\":2"'
check "the other files are copied" '[ "$(wc -l <"$tmp/blocked/manifest.jsonl")" -eq $((n - 2)) ] && [ -f "$tmp/blocked/Windows/Temp/lsass.dmp" ]'
"$bin" scan -f csv --collect "$tmp/blocked2" "$tmp/ev" >/dev/null 2>"$tmp/blk.err"
check "a collect that works adds no error (csv, stderr)" '! grep -q "collect folder" "$tmp/blk.err"'
mkdir "$tmp/blocked3"
: >"$tmp/blocked3/Windows"
"$bin" scan --collect "$tmp/blocked3" --collect-append "$tmp/ev" >"$tmp/blk3.txt" 2>"$tmp/blk3.err"
check "the text format shows the copy failures (stderr, and the summary's count)" \
    'grep "lsass.dmp" "$tmp/blk3.err" | grep -q "collect folder" && grep -q "^read .* 2 errors" "$tmp/blk3.txt"'

# 5. a source that vanished after the scan, and one that changed while it was
# copied (the test-only build, COLLECT_TESTBIN: files starting
# EXHUNT-TEST-VANISH / EXHUNT-TEST-CHANGE act so, unchanged themselves)
tbin=${COLLECT_TESTBIN:-}
case $tbin in '' | /*) ;; *) tbin=$(pwd)/$tbin ;; esac
if [ -n "$tbin" ] && [ -x "$tbin" ]; then
    mkdir -p "$tmp/vt/Windows/Temp" "$tmp/vt/inetpub/wwwroot/aspnet_client" "$tmp/vt/ProgramData"
    printf 'EXHUNT-TEST-VANISH not a dump\n' >"$tmp/vt/Windows/Temp/lsass.dmp"
    printf 'EXHUNT-TEST-CHANGE <%%@ Page Language="C#" %%>\n' >"$tmp/vt/inetpub/wwwroot/aspnet_client/x.aspx"
    cp "$root/examples/compromised/ProgramData/it.zip" "$tmp/vt/ProgramData/"
    snapshot "$tmp/vt" >"$tmp/vt.before"
    "$tbin" scan -f jsonl --collect "$tmp/vout" "$tmp/vt" >"$tmp/vt.jsonl" 2>/dev/null
    rc=$?
    check "vanished and changed sources: exit 1 (findings win), the scan goes on" '[ $rc -eq 1 ]'
    check "the vanished file is a not_found error record" \
        'grep "\"type\":\"error\"" "$tmp/vt.jsonl" | grep "Windows/Temp/lsass.dmp" | grep "not copied to the --collect folder" | grep -q "\"code\":\"not_found\""'
    check "the changed file is a changed error record naming its copy" \
        'grep "\"type\":\"error\"" "$tmp/vt.jsonl" | grep "aspnet_client/x.aspx" | grep "x.aspx.quarantine" | grep -q "\"code\":\"changed\""'
    check "the summary counts both; report.jsonl has them" \
        'grep -q "\"errors\":2" "$tmp/vt.jsonl" && cmp -s "$tmp/vt.jsonl" "$tmp/vout/report.jsonl"'
    check "the manifest lists the changed file (the bytes read) and the archive, not the vanished one" \
        '[ "$(wc -l <"$tmp/vout/manifest.jsonl")" -eq 2 ] && ! grep -q lsass "$tmp/vout/manifest.jsonl" && [ ! -e "$tmp/vout/Windows" ]'
    check "those sources are unchanged" 'snapshot "$tmp/vt" | cmp -s - "$tmp/vt.before"'
    # a file that grows while copied (a log written to: EXHUNT-TEST-GROW looks
    # 100 bytes longer and newer once copied) is copied as it was when opened:
    # no error record, the verdict and exit code as without --collect
    mkdir -p "$tmp/grow/Windows/Temp"
    printf 'EXHUNT-TEST-GROW not a dump\n' >"$tmp/grow/Windows/Temp/lsass.dmp"
    "$tbin" scan -f jsonl "$tmp/grow" >"$tmp/grow.plain" 2>/dev/null
    rc0=$?
    "$tbin" scan -f jsonl --collect "$tmp/growout" "$tmp/grow" >"$tmp/grow.jsonl" 2>"$tmp/grow.err"
    rc=$?
    check "a file that grew while copied: no error record, exit and verdict as without --collect" \
        '[ $rc -eq $rc0 ] && ! grep -q "\"type\":\"error\"" "$tmp/grow.jsonl" && grep -q "\"errors\":0" "$tmp/grow.jsonl" && [ "$(grep -o "\"verdict\":\"[A-Za-z]*\"" "$tmp/grow.jsonl")" = "$(grep -o "\"verdict\":\"[A-Za-z]*\"" "$tmp/grow.plain")" ] && ! grep -q "^exhunt: .*lsass" "$tmp/grow.err" && grep -q " 0 not copied" "$tmp/grow.err"'
    check "its copy holds the bytes up to the size at open; the manifest says it grew" \
        'cmp -s "$tmp/grow/Windows/Temp/lsass.dmp" "$tmp/growout/Windows/Temp/lsass.dmp" && grep "lsass.dmp" "$tmp/growout/manifest.jsonl" | grep "\"status\":\"copied\"" | grep -q "\"grew\":true" && (cd "$tmp/growout" && manifest_list . copy | sha256sum -c --quiet -) >/dev/null 2>&1'
    "$tbin" scan --collect "$tmp/vout2" "$tmp/vt" 2>"$tmp/vt2.err" >/dev/null
    check "the text format says --collect for the copy failures, not \"cannot read\" (the scan read them)" \
        'grep -q "^exhunt: --collect: .*x.aspx.: shrank or changed while it was copied" "$tmp/vt2.err" && grep -q "^exhunt: --collect: .*lsass.dmp.: not copied" "$tmp/vt2.err" && ! grep -q "cannot read" "$tmp/vt2.err"'
else
    echo "skip - a source that vanishes or changes while copied (no COLLECT_TESTBIN: make collect-check builds it)"
fi

# 6. evidence named as DIR's own files at the top of a PATH (manifest.jsonl
# that is really a zip holding lsass.dmp, MANIFEST.CSV, report.jsonl,
# report-2.jsonl): the copies get a '_' in front and are intact; the
# manifests are DIR's own
mkdir -p "$tmp/mn/z"
printf 'MDMP not a dump\n' >"$tmp/mn/z/lsass.dmp"
(cd "$tmp/mn/z" && python3 -c 'import zipfile; z = zipfile.ZipFile("../manifest.jsonl", "w"); z.write("lsass.dmp"); z.close()')
rm -r "$tmp/mn/z"
for n in MANIFEST.CSV report.jsonl report-2.jsonl; do cp "$tmp/mn/manifest.jsonl" "$tmp/mn/$n"; done
snapshot "$tmp/mn" >"$tmp/mn.before"
"$bin" scan -f jsonl --collect "$tmp/mout" "$tmp/mn" >"$tmp/mn.jsonl" 2>/dev/null
rc=$?
check "manifest-named evidence: exit 1, the four copied as _manifest.jsonl, _MANIFEST.CSV, _report.jsonl, _report-2.jsonl" \
    '[ $rc -eq 1 ] && ! for n in manifest.jsonl MANIFEST.CSV report.jsonl report-2.jsonl; do cmp -s "$tmp/mn/manifest.jsonl" "$tmp/mout/_$n" || echo bad; done | grep -q bad'
check "the manifest is the collection one, four lines, and sha256sum -c passes" \
    '[ "$(wc -l <"$tmp/mout/manifest.jsonl")" -eq 4 ] && grep -q "\"copy\":\"_manifest.jsonl\"" "$tmp/mout/manifest.jsonl" && (cd "$tmp/mout" && manifest_list . copy | sha256sum -c --quiet -) >/dev/null 2>&1'
check "manifest.csv and report.jsonl are the collection ones" \
    'head -1 "$tmp/mout/manifest.csv" | grep -q "^path,source,copy," && cmp -s "$tmp/mn.jsonl" "$tmp/mout/report.jsonl" && [ ! -e "$tmp/mout/report-2.jsonl" ]'
"$bin" scan -f jsonl --collect "$tmp/mout" --collect-append "$tmp/mn" >/dev/null 2>&1
check "--collect-append: the copies are there already, the report goes to report-2.jsonl, the manifest grows" \
    '[ -s "$tmp/mout/report-2.jsonl" ] && [ "$(wc -l <"$tmp/mout/manifest.jsonl")" -eq 8 ] && [ "$(grep -c "\"status\":\"present\"" "$tmp/mout/manifest.jsonl")" -eq 4 ] && cmp -s "$tmp/mn/manifest.jsonl" "$tmp/mout/_report-2.jsonl"'
check "those sources are unchanged" 'snapshot "$tmp/mn" | cmp -s - "$tmp/mn.before"'

echo "collect: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
