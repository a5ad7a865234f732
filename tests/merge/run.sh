#!/bin/sh
# run.sh EXHUNT: end-to-end tests of `exhunt merge`. The inputs are made here:
# the bundled examples scanned with `exhunt scan -f jsonl` (clock frozen with
# EXH_NOW and file times fixed, as tests/e2e/run.sh does), a small fleet made
# from them where one address hits two hosts, and bad input of every kind.
# Each case's standard output is compared with tests/merge/expected/<case>
# and its exit code with the one written here; UPDATE=1 rewrites the expected
# files instead (review them with git diff). Some cases also check a property
# with grep, so that a wrong expected file cannot hide it.
set -u
bin=$1
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
exp=$here/expected
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "not ok - $*"; fail=$((fail + 1)); }
w=$(mktemp -d "${TMPDIR:-/tmp}/exh-merge.XXXXXX")
trap 'rm -rf "$w"' EXIT INT TERM
export EXH_NOW=2026-01-01T00:00:00Z NO_COLOR=

# the examples' results, one host name each
find "$top/examples" -exec touch -h -d '2021-03-04T00:00:00Z' {} + 2>/dev/null
mkdir -p "$w/ex"
for e in compromised exposed clean; do
    "$bin" scan -f jsonl --hostname "EXCH-$e" "$top/examples/$e" >"$w/ex/$e.jsonl" 2>/dev/null
done
cd "$w" || exit 2

# case NAME EXIT ARGS...: run `exhunt merge ARGS` in the work folder
case_() {
    name=$1 want=$2
    shift 2
    "$bin" merge "$@" >"$w/$name.out" 2>"$w/$name.err"
    got=$?
    [ "${UPDATE:-}" = 1 ] && cp "$w/$name.out" "$exp/$name"
    if [ ! -f "$exp/$name" ]; then
        bad "$name (no expected output: run with UPDATE=1 and review)"
    elif ! cmp -s "$exp/$name" "$w/$name.out"; then
        bad "$name (output differs)"
        diff "$exp/$name" "$w/$name.out" | head -10
    elif [ "$got" != "$want" ]; then
        bad "$name (exit $got, expected $want)"
    else
        echo "ok - $name"
        ok
    fi
}
# has NAME PATTERN WHAT: the output of case NAME matches the grep pattern
has() {
    if grep -q -- "$2" "$w/$1.out"; then ok; else bad "$1: $3"; fi
}

# 1. the examples in the four formats
for f in text jsonl csv html; do
    case_ "examples.$f" 1 -f "$f" ex/compromised.jsonl ex/exposed.jsonl ex/clean.jsonl
done
has examples.jsonl '"verdicts":{"COMPROMISED":1,"TARGETED":0,"EXPOSED":1,"INCOMPLETE":0,"CLEAN":1}' "verdict counts"
has examples.html "content=\"default-src 'none'; style-src 'sha256-" "the HTML's CSP: its style by hash"
if grep -q '<script' "$w/examples.html.out"; then bad "examples.html: a script"; else ok; fi
has examples.csv '^host,verdict,stage,' "the CSV header"
# a folder, walked recursively; other files than *.jsonl/*.json are left alone
mkdir -p dir/a/b && cp ex/exposed.jsonl dir/a/b/x.jsonl && cp ex/clean.jsonl dir/a/y.json &&
    echo 'not a result' >dir/a/notes.txt
case_ folder 1 -f jsonl dir
# standard input
"$bin" merge -f jsonl - <ex/clean.jsonl >stdin.out 2>/dev/null
[ $? = 0 ] && grep -q '"name":"EXCH-clean"' stdin.out && ok || bad "merge - (standard input)"

# 2. a fleet where 203.0.113.7 hits two hosts (the other addresses of the
# second host are changed, so it is the only one shared)
mkdir -p fleet
sed 's/EXCH-compromised/FLEET-A/g' ex/compromised.jsonl >fleet/a.jsonl
sed 's/EXCH-compromised/FLEET-B/g; s/104\.140\.114\.110/192.0.2.10/g; s/198\.51\.100\.91/192.0.2.11/g;
     s/198\.51\.100\.44/192.0.2.12/g; s/2021-03-03T0\([23]\):/2021-03-04T0\1:/g' ex/compromised.jsonl >fleet/b.jsonl
sed 's/EXCH-exposed/FLEET-C/g' ex/exposed.jsonl >fleet/c.jsonl
for f in text jsonl; do
    case_ "fleet.$f" 1 -f "$f" fleet
done
has fleet.jsonl '"type":"actor","schema_version":1,"source":{"ip":"203.0.113.7"}' "the shared actor"
has fleet.jsonl '"hosts":\[{"name":"FLEET-A",.*},{"name":"FLEET-B",' "its hosts, in time order"
if grep -q '"ip":"192.0.2.10"' fleet.jsonl.out; then bad "fleet: an actor of one host is listed"; else ok; fi

# 3. bad input: each becomes error records naming file and line; the rest is merged
mkdir -p badin
head -c 3000 ex/compromised.jsonl >badin/cut.jsonl                      # cut inside line 2
printf 'hello world\n{"type":"finding"\n' >badin/nonjson.jsonl          # not JSON, truncated JSON
printf '{"a":1}\n[1,2,3]\n{"type":"target","host":"x"}\n"x"\n' >badin/other.jsonl # JSON, not exhunt
sed 's/"schema_version":1/"schema_version":7/; s/EXCH-clean/V7/g' ex/clean.jsonl >badin/v7.jsonl
{ sed 's/EXCH-clean/MIXED-1/g' ex/clean.jsonl; sed 's/"schema_version":1/"schema_version":2/; s/EXCH-clean/MIXED-2/g' ex/clean.jsonl; } >badin/mixed.jsonl
head -3 ex/compromised.jsonl | sed 's/EXCH-compromised/NOSUM/g' >badin/nosum.jsonl # findings, no summary
python3 -c '
import random, sys
r = random.Random(7)
sys.stdout.buffer.write(bytes(r.randrange(256) for _ in range(30000)))' >badin/junk.jsonl
printf '{"type":"summary","schema_version":1,"exhunt":{"verdict":"CLEAN"},"host":{"name":"LAST"}}' >badin/noeol.jsonl # no final LF: still read
case_ bad.jsonl 2 -f jsonl badin ex/clean.jsonl
case_ bad.text 2 badin ex/clean.jsonl
for code in '"path":"badin/cut.jsonl","line":2,.*"truncated"' '"path":"badin/nonjson.jsonl","line":1,.*"corrupt"' \
    '"path":"badin/nonjson.jsonl","line":2,.*"corrupt"' '"path":"badin/other.jsonl","line":3,.*"not_exhunt"' \
    '"path":"badin/v7.jsonl","line":1,.*"schema"' '"path":"badin/mixed.jsonl","line":2,.*"schema"' \
    '"path":"badin/nosum.jsonl","line":3,.*"no_summary"' '"path":"badin/junk.jsonl","line":0,.*"more"'; do
    has bad.jsonl "$code" "error record $code"
done
has bad.jsonl '"name":"NOSUM"},.*"verdict":"INCOMPLETE"' "a result without summary is INCOMPLETE"
has bad.jsonl '"name":"EXCH-clean"},.*"verdict":"CLEAN"' "the good file is merged"
has bad.jsonl '"name":"LAST"}' "a last line without LF is read"
if grep -q '"name":"V7"\|"name":"MIXED-' bad.jsonl.out; then bad "a refused file's hosts are merged"; else ok; fi
# a hit is not hidden behind bad input: exit 1
"$bin" merge badin ex/exposed.jsonl >/dev/null 2>&1
[ $? = 1 ] && ok || bad "bad input and an EXPOSED host: exit 1"
# a 1 GiB line on standard input: skipped with a too_long record, in little memory
{ printf '{"type":"finding","x":"'; head -c 1073741824 /dev/zero | tr '\0' 'a'; echo '"}'; cat ex/clean.jsonl; } |
    /usr/bin/time -f '%M' -o big.rss "$bin" merge -f jsonl - >big.out 2>/dev/null
rc=$?
rss=$(tail -1 big.rss)
[ "$rc" = 2 ] && ok || bad "1 GiB line: exit $rc, expected 2"
has big '"line":1,"message":"a line longer than 16777216 bytes: skipped to its end","exhunt":{"error":{"code":"too_long"}}' "1 GiB line: too_long record"
has big '"name":"EXCH-clean"' "1 GiB line: the next line is merged"
[ "$rss" -lt 262144 ] && ok || bad "1 GiB line: peak memory ${rss} KiB (want < 256 MiB)"

# gzip-compressed results (builds with zlib), whole and cut short
if command -v gzip >/dev/null 2>&1; then
    mkdir -p gz && gzip -c ex/exposed.jsonl >gz/exposed.jsonl.gz && gzip -c ex/compromised.jsonl | head -c 5000 >gz/cut.json.gz
    case_ gz 1 -f jsonl gz
    has gz '"name":"EXCH-exposed"},.*"verdict":"EXPOSED"' "a .jsonl.gz result is read"
    has gz '"path":"gz/cut.json.gz","line":0,"message":"unexpected end of file' "a cut .gz is named"
fi

# 4. the same host twice: the newest scan is kept, whatever the order
mkdir -p dup
sed 's/EXCH-clean/DUP/g' ex/clean.jsonl >dup/old.jsonl
sed 's/EXCH-exposed/dup/g; s/"started":"2026-01-01T/"started":"2026-02-01T/' ex/exposed.jsonl >dup/new.jsonl
case_ dup.newfirst 1 -f jsonl dup/new.jsonl dup/old.jsonl
case_ dup.oldfirst 1 -f jsonl dup/old.jsonl dup/new.jsonl
has dup.oldfirst '"type":"dropped","schema_version":1,"host":{"name":"DUP"},"log":{"file":{"path":"dup/old.jsonl"}}' "the older scan is named as dropped"
has dup.newfirst '"verdicts":{"COMPROMISED":0,"TARGETED":0,"EXPOSED":1,"INCOMPLETE":0,"CLEAN":0}' "the newer scan (EXPOSED) is kept"
case_ dup.keepall 1 -f jsonl --keep-all dup/old.jsonl dup/new.jsonl
# the same time: a whole result wins over one cut short, whatever the order
sed 's/EXCH-compromised/TIE/g' ex/compromised.jsonl >dup/tie-whole.jsonl
head -5 dup/tie-whole.jsonl >dup/tie-cut.jsonl
for order in "dup/tie-whole.jsonl dup/tie-cut.jsonl" "dup/tie-cut.jsonl dup/tie-whole.jsonl"; do
    "$bin" merge -f jsonl $order >tie.out 2>/dev/null
    grep -q '"type":"dropped","schema_version":1,"host":{"name":"TIE"},"log":{"file":{"path":"dup/tie-cut.jsonl"}}' tie.out &&
        ok || bad "a tie ($order): the cut result is dropped"
done
has dup.keepall '"hosts":2,"actors":0,"dropped":0' "--keep-all keeps both"

# 5. --since: a host whose logs start later does not cover it
case_ since.text 1 --since 2022-01-01 ex/compromised.jsonl ex/exposed.jsonl ex/clean.jsonl
case_ since.jsonl 1 -f jsonl --since 2022-01-01 ex/compromised.jsonl ex/exposed.jsonl ex/clean.jsonl
has since.jsonl '"name":"EXCH-compromised"}.*"covers_since":true' "2021 logs cover 2022"
has since.jsonl '"name":"EXCH-clean"}.*"covers_since":false' "2026 logs do not cover 2022"
"$bin" merge --since 2026-09-01 ex/clean.jsonl >/dev/null 2>&1
[ $? = 2 ] && ok || bad "a CLEAN host not covering --since: exit 2"
"$bin" merge --since 2026-09-10T06:00:00Z ex/clean.jsonl >/dev/null 2>&1
[ $? = 0 ] && ok || bad "a CLEAN host covering --since: exit 0"

# 6. hostile names: escaped in every format
printf '{"type":"summary","schema_version":1,"exhunt":{"verdict":"TARGETED","reason":"<b>x</b>"},"host":{"name":"<script>alert(1)</script>\\u202e\\u001b[31m=cmd|x"},"actors":[{"ip":"=1+1","first":"2021-01-01T00:00:00Z","last":"2021-01-01T00:00:00Z","stage":"attempt"}]}\n' >hostile.jsonl
printf '{"type":"summary","schema_version":1,"exhunt":{"verdict":"CLEAN"},"host":{"name":"h2"},"actors":[{"ip":"=1+1","first":"2021-01-02T00:00:00Z","last":"2021-01-02T00:00:00Z","stage":"noise"}]}\n' >>hostile.jsonl
for f in text jsonl csv html; do
    case_ "hostile.$f" 1 -f "$f" hostile.jsonl
done
if grep -q '<script\|<b>x<' hostile.html.out; then bad "hostile.html: markup from a host name"; else ok; fi
if grep -q "$(printf '\033')" hostile.text.out hostile.csv.out; then bad "hostile: a raw escape"; else ok; fi
has hostile.csv "\"'=1+1\"" "CSV: a formula is defused"

# 7. exit codes and usage
"$bin" merge ex/clean.jsonl >/dev/null 2>&1
[ $? = 0 ] && ok || bad "every host CLEAN: exit 0"
"$bin" merge badin/nosum.jsonl >/dev/null 2>&1
[ $? = 2 ] && ok || bad "INCOMPLETE only: exit 2"
"$bin" merge no-such-file.jsonl >nf.out 2>/dev/null
[ $? = 2 ] && grep -q 'no-such-file.jsonl: not_found' nf.out && ok || bad "a missing file: exit 2, named"
"$bin" merge -f xml ex/clean.jsonl >/dev/null 2>&1
[ $? = 2 ] && ok || bad "unknown format: exit 2"
"$bin" merge >/dev/null 2>&1
[ $? = 2 ] && ok || bad "no RESULT: exit 2"
"$bin" merge --since yesterday ex/clean.jsonl >/dev/null 2>&1
[ $? = 2 ] && ok || bad "bad --since: exit 2"
"$bin" merge -o "$w/out.csv" -f csv ex/clean.jsonl 2>/dev/null
[ $? = 0 ] && grep -q '^EXCH-clean,CLEAN,' out.csv && ok || bad "-o FILE"

# 8. what a newer scan, a link, -o, merge's own output and a manifest must not do
# a newer CLEAN scan of a host never hides an older COMPROMISED one
mkdir -p hide
sed 's/EXCH-compromised/HIDE/g' ex/compromised.jsonl >hide/old.jsonl
sed 's/EXCH-clean/HIDE/g; s/"started":"2026-01-01T/"started":"2026-03-01T/' ex/clean.jsonl >hide/new.jsonl
case_ hide.text 1 hide/new.jsonl hide/old.jsonl
has hide.text 'an older scan of this host, left out, was COMPROMISED' "the older COMPROMISED scan is named"
"$bin" merge -f jsonl hide >hide.jsonl.out 2>/dev/null
[ $? = 1 ] && grep -q '"older_scan_verdict":"COMPROMISED"' hide.jsonl.out &&
    grep -q '"type":"dropped".*"verdict":"COMPROMISED"' hide.jsonl.out && ok ||
    bad "jsonl: older_scan_verdict and the dropped scan's verdict, exit 1"
# a result reached through a link in a folder is named, not passed over in silence
mkdir -p lk && ln -s ../ex/compromised.jsonl lk/c.jsonl && cp ex/clean.jsonl lk/b.jsonl
"$bin" merge lk >lk.out 2>/dev/null
[ $? = 2 ] && grep -q 'lk/c.jsonl: skipped' lk.out && ok || bad "a link in a folder: a skipped error, exit 2"
# -o over an input, or as a result among the inputs' folder, is refused and changes nothing
cp ex/compromised.jsonl o1.jsonl && mkdir -p odir && cp ex/clean.jsonl odir/a.jsonl
sum=$(cksum <o1.jsonl)
"$bin" merge -o o1.jsonl o1.jsonl >/dev/null 2>o1.err
[ $? = 2 ] && [ "$(cksum <o1.jsonl)" = "$sum" ] && grep -q refusing o1.err && ok || bad "-o over an input: refused, input unchanged"
"$bin" merge -f jsonl -o odir/fleet.jsonl odir >/dev/null 2>&1
[ $? = 2 ] && [ ! -e odir/fleet.jsonl ] && ok || bad "-o FILE.jsonl inside an input folder: refused"
"$bin" merge -f html -o odir/fleet.html odir >/dev/null 2>&1
[ $? = 0 ] && [ -s odir/fleet.html ] && ok || bad "-o fleet.html inside an input folder: written"
# merge's own output in a folder of results is left out, never a phantom host
mkdir -p own && cp ex/compromised.jsonl ex/clean.jsonl own/
"$bin" merge -f jsonl own >own.fleet 2>/dev/null
mv own.fleet own/fleet.jsonl
"$bin" merge own >own.out 2>/dev/null
[ $? = 1 ] && grep -q '^== exhunt fleet: 2 hosts' own.out && grep -q 'fleet.jsonl:1: fleet' own.out && ok ||
    bad "a fleet report among the results: left out with one error, 2 hosts"
# a --collect manifest among the results is neither a host nor an error
mkdir -p man && cp ex/clean.jsonl man/ &&
    printf '{"type":"collected","path":"a","copy":"a","size":1,"sha256":"00"}\n' >man/manifest.jsonl
"$bin" merge man >man.out 2>/dev/null
[ $? = 0 ] && ! grep -q 'input problems' man.out && ok || bad "a manifest among the results: no error, exit 0"
# --since: the request logs decide (IIS and HttpProxy each must reach back); an
# old line in a log written only when used (ECP Server) does not make up for them
sed 's/"source":"IIS\/W3SVC1","files":\([0-9]*\),"bytes":\([0-9]*\),"first":"[^"]*"/"source":"IIS\/W3SVC1","files":\1,"bytes":\2,"first":"2026-09-10T08:00:00.000Z"/;
     s/"source":"ECP Server","files":\([0-9]*\),"bytes":\([0-9]*\),"first":"[^"]*"/"source":"ECP Server","files":\1,"bytes":\2,"first":"2019-01-01T00:00:00.000Z"/' ex/clean.jsonl >fam.jsonl
if [ "$(grep -c '2026-09-10T08:00:00.000Z\|2019-01-01T00:00:00.000Z' fam.jsonl)" = 0 ]; then bad "--since per kind: the test's sed changed nothing"; else
    "$bin" merge -f jsonl --since 2026-09-10T06:00:00Z fam.jsonl >fam.out 2>/dev/null
    [ $? = 2 ] && grep -q '"covers_since":false' fam.out && ok || bad "--since: IIS starting later does not cover, whatever the ECP log"
fi
# a result naming thousands of exposure rule ids keeps at most 64
awk 'BEGIN { for (i = 0; i < 5000; i++) printf "{\"type\":\"finding\",\"host\":{\"name\":\"MANY\"},\"rule\":{\"id\":\"EXH-EXP-%05d\"},\"exhunt\":{\"stage\":\"exposure\"}}\n", i }' >many.jsonl
"$bin" merge -f jsonl many.jsonl >many.out 2>/dev/null
n=$(grep -o 'EXH-EXP-[0-9]*' many.out | sort -u | wc -l)
[ "$n" -ge 1 ] && [ "$n" -le 64 ] && ok || bad "exposure ids kept: $n (1..64)"

echo "merge: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
