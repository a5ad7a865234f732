#!/bin/sh
# run.sh [NORMAL_BIN]: `make dist` is reproducible, hardened, and its binaries work.
#  1. The working files of this tree (git ls-files: committed, changed and new,
#     not ignored) copied into two folders with different names and depths, a
#     Velociraptor template added to each; `make dist` in each with the same
#     EXH_COMMIT (git describe of this tree): dist/exhunt, dist/exhunt.exe,
#     the template and SHA256SUMS must be the same bytes.
#  2. SHA256SUMS checks (sha256sum -c); the template carries exhunt.exe's
#     SHA-256; both binaries name the commit in `version`.
#  3. tests/dist/hardening.py on the two binaries and build-dist/libexhunt.a.
#  4. A scan of examples/compromised (copied, file times fixed, EXH_NOW set)
#     with dist/exhunt and, under wine64, dist/exhunt.exe: the same JSON Lines
#     as NORMAL_BIN (default ./exhunt), elapsed times aside. dist/exhunt merge
#     reads a .jsonl.gz and --yara matches (the static libraries work);
#     dist/exhunt probe says that the probe is not in the static build (exit 2).
# MAKE_JOBS (default 2) is passed to each `make dist` as -j.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
normal=${1:-$root/exhunt}
case $normal in /*) ;; *) normal=$root/$normal ;; esac

if ! command -v x86_64-w64-mingw32-gcc >/dev/null 2>&1; then
    echo "dist: skipped: mingw-w64 not found (make dist builds exhunt.exe too; Debian: apt-get install gcc-mingw-w64-x86-64)"
    exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; [ -n "${WINESERVER:-}" ] && "$WINESERVER" -k >/dev/null 2>&1' EXIT
: >"$tmp/results"
ok() { echo "ok - $1"; echo ok >>"$tmp/results"; }
bad() { echo "not ok - $1"; echo bad >>"$tmp/results"; }
finish() {
    pass=$(grep -c '^ok' "$tmp/results")
    fail=$(grep -c '^bad' "$tmp/results")
    echo "dist: $pass passed, $fail failed"
    [ "$fail" -eq 0 ]
    exit
}

# 1. two copies, two builds
commit=unknown
if [ "$(git -C "$root" rev-parse --show-toplevel 2>/dev/null)" = "$root" ]; then
    commit=$(git -C "$root" describe --always --dirty)
fi
a="$tmp/a/exhunt-src"
b="$tmp/bb/another/folder-for-the-second-build"
for d in "$a" "$b"; do
    mkdir -p "$d"
    if [ "$commit" != unknown ]; then
        (cd "$root" && git ls-files -z -c -o --exclude-standard | xargs -0 sh -c \
            'for f; do [ -e "$f" ] || [ -L "$f" ] && printf "%s\0" "$f"; done' sh |
            xargs -0 cp --parents -P -t "$d")
    else
        (cd "$root" && tar cf - --exclude='./build*' --exclude=./dist --exclude=./exhunt \
            --exclude=./exhunt.exe --exclude=./exhunt-crashtest.exe .) | (cd "$d" && tar xf -)
    fi
    mkdir -p "$d/contrib/velociraptor"
    printf 'name: Exchange.Exhunt.DistCheck\n# sha256 @EXHUNT_EXE_SHA256@\nsha256: "@EXHUNT_EXE_SHA256@"\n' \
        >"$d/contrib/velociraptor/zz-dist-check.yaml"
done
for d in "$a" "$b"; do
    if ! (cd "$d" && make -j"${MAKE_JOBS:-2}" dist EXH_COMMIT="$commit" >"$d.log" 2>&1); then
        bad "make dist failed in $d"
        tail -20 "$d.log"
        finish
    fi
done
for f in exhunt exhunt.exe zz-dist-check.yaml SHA256SUMS; do
    if [ -s "$a/dist/$f" ] && cmp "$a/dist/$f" "$b/dist/$f"; then
        ok "dist/$f: the same bytes from two folders ($(wc -c <"$a/dist/$f") bytes)"
    else
        bad "dist/$f differs between the two builds (or is missing)"
    fi
done
if [ "$(cd "$a/dist" && ls | tr '\n' ' ')" = "$(cd "$b/dist" && ls | tr '\n' ' ')" ]; then
    ok "the same files in both dist/ folders: $(cd "$a/dist" && ls | tr '\n' ' ')"
else
    bad "dist/ folders list different files"
fi
if grep -l "$tmp" "$a/dist/exhunt" "$a/dist/exhunt.exe" >/dev/null 2>&1; then
    bad "a binary contains the build folder's path"
else
    ok "no build folder path in either binary"
fi

# 2. SHA256SUMS, the template, the commit
dist=$a/dist
if (cd "$dist" && sha256sum -c --quiet SHA256SUMS) && grep -q '  exhunt$' "$dist/SHA256SUMS" &&
    grep -q '  exhunt.exe$' "$dist/SHA256SUMS"; then
    ok "SHA256SUMS checks (sha256sum -c) and names both binaries"
else
    bad "SHA256SUMS does not check"
fi
exe_sum=$(sha256sum "$dist/exhunt.exe" | cut -d' ' -f1)
if grep -q "^sha256: \"$exe_sum\"$" "$dist/zz-dist-check.yaml" && ! grep -q '@EXHUNT_EXE_SHA256@' "$dist/zz-dist-check.yaml"; then
    ok "contrib/velociraptor template: @EXHUNT_EXE_SHA256@ replaced by exhunt.exe's SHA-256"
else
    bad "the Velociraptor template does not carry exhunt.exe's SHA-256"
    cat "$dist/zz-dist-check.yaml"
fi
# the artifact itself: the pinned hash is exhunt.exe's and SHA256SUMS's
art=$dist/Exchange.Detection.Exhunt.yaml
if [ -s "$art" ] && grep -q "^ *expected_hash: \"$exe_sum\"$" "$art" &&
    grep -q "^$exe_sum  exhunt.exe$" "$dist/SHA256SUMS"; then
    ok "dist/Exchange.Detection.Exhunt.yaml pins exhunt.exe's SHA-256, as SHA256SUMS lists it"
else
    bad "dist/Exchange.Detection.Exhunt.yaml does not pin exhunt.exe's SHA-256 ($exe_sum)"
fi
if "$dist/exhunt" version | grep -qx "commit $commit" && "$dist/exhunt" version | grep -qx 'probe no'; then
    ok "dist/exhunt version: commit $commit, probe no"
else
    bad "dist/exhunt version does not name commit $commit"
    "$dist/exhunt" version
fi

# 3. hardening
python3 "$here/hardening.py" "$dist/exhunt.exe" "$dist/exhunt" "$a/build-dist/libexhunt.a" >"$tmp/hard.out"
sed 's/^/    /' "$tmp/hard.out"
if [ "$(grep -c '^not ok' "$tmp/hard.out")" = 0 ] && [ "$(grep -c '^ok' "$tmp/hard.out")" -ge 15 ]; then
    ok "hardening of exhunt.exe and exhunt ($(grep -c '^ok' "$tmp/hard.out") checks)"
else
    bad "hardening: $(grep -c '^not ok' "$tmp/hard.out") checks failed"
fi

# 4. the binaries work: the same report as the normal build
cp -R "$root/examples/compromised" "$tmp/ex"
find "$tmp/ex" -exec touch -h -d '2021-03-04T00:00:00Z' {} +
norm() { python3 -c '
import json, sys
def strip(o):
    if isinstance(o, dict):
        return {k: strip(v) for k, v in o.items() if k not in ("elapsed_ms",)}
    if isinstance(o, list):
        return [strip(v) for v in o]
    return o
for line in open(sys.argv[1], encoding="utf-8"):
    print(json.dumps(strip(json.loads(line)), sort_keys=False))' "$1"; }
(cd "$tmp" && EXH_NOW=2026-01-01T00:00:00Z "$normal" scan -f jsonl ex >normal.jsonl 2>/dev/null)
(cd "$tmp" && EXH_NOW=2026-01-01T00:00:00Z "$dist/exhunt" scan -f jsonl ex >static.jsonl 2>static.err; echo $? >static.exit)
if [ -s "$tmp/normal.jsonl" ] && [ "$(cat "$tmp/static.exit")" = 1 ] &&
    [ "$(norm "$tmp/normal.jsonl")" = "$(norm "$tmp/static.jsonl")" ]; then
    ok "dist/exhunt scan examples/compromised: the normal build's report ($(wc -l <"$tmp/static.jsonl") lines, exit 1)"
else
    bad "dist/exhunt: the report differs from the normal build's (exit $(cat "$tmp/static.exit"))"
    diff "$tmp/normal.jsonl" "$tmp/static.jsonl" | head -5
    head -3 "$tmp/static.err"
fi
# the statically linked libraries at work: jansson and zlib (merge of a .gz), libyara
gzip -c "$tmp/static.jsonl" >"$tmp/static.jsonl.gz"
"$dist/exhunt" merge -f jsonl "$tmp/static.jsonl.gz" >"$tmp/merge.out" 2>"$tmp/merge.err"
rc=$?
if [ "$rc" = 1 ] && grep -q '"COMPROMISED"' "$tmp/merge.out"; then
    ok "dist/exhunt merge reads a gzip-compressed result (static jansson and zlib)"
else
    bad "dist/exhunt merge: exit $rc"
    head -3 "$tmp/merge.err"
fi
printf 'rule dist_check { strings: $a = "EXH-DIST-CHECK-MARK" condition: $a }\n' >"$tmp/r.yar"
mkdir -p "$tmp/ytree" && echo 'EXH-DIST-CHECK-MARK' >"$tmp/ytree/mark.txt"
"$dist/exhunt" scan -f jsonl --yara "$tmp/r.yar" "$tmp/ytree" >"$tmp/yara.out" 2>"$tmp/yara.err"
if ! "$dist/exhunt" version | grep -qx 'yara yes'; then
    echo "skip - dist/exhunt --yara: built without libyara (libyara-dev not installed)"
elif grep -q 'dist_check' "$tmp/yara.out"; then
    ok "dist/exhunt scan --yara: a rule matches (static libyara)"
else
    bad "dist/exhunt --yara: no match"
    head -3 "$tmp/yara.err"
fi
"$dist/exhunt" probe 127.0.0.1 >"$tmp/probe.out" 2>"$tmp/probe.err"
rc=$?
if [ "$rc" = 2 ] && grep -q 'probe is not in this static build' "$tmp/probe.err" && [ ! -s "$tmp/probe.out" ]; then
    ok "dist/exhunt probe: not in the static build, said plainly (exit 2)"
else
    bad "dist/exhunt probe: exit $rc"
    head -3 "$tmp/probe.err"
fi

SUITE=dist
WINE_OPTIONAL=1
. "$root/tests/windows/wine-env.sh"
if [ -z "$WINE" ]; then
    echo "skip - dist/exhunt.exe under wine64: wine64 not found"
    finish
fi
"$WINE" "$dist/exhunt.exe" version >"$tmp/wver.out" 2>"$tmp/wver.err"
if grep -qx "commit $commit" "$tmp/wver.out" && grep -qx 'platform windows' "$tmp/wver.out" &&
    grep -qx 'probe yes' "$tmp/wver.out"; then
    ok "wine64 dist/exhunt.exe version: commit $commit, winhttp.dll loaded from System32 (probe yes)"
else
    bad "wine64 dist/exhunt.exe version"
    head -5 "$tmp/wver.out" "$tmp/wver.err"
fi
(cd "$tmp" && EXH_NOW=2026-01-01T00:00:00Z "$WINE" "$dist/exhunt.exe" scan -f jsonl ex >win.jsonl 2>win.err; echo $? >win.exit)
if [ "$(cat "$tmp/win.exit")" = 1 ] && [ "$(norm "$tmp/normal.jsonl")" = "$(norm "$tmp/win.jsonl")" ]; then
    ok "wine64 dist/exhunt.exe scan examples/compromised: the normal build's report (hashes through bcrypt.dll from System32)"
else
    bad "dist/exhunt.exe: the report differs from the normal build's (exit $(cat "$tmp/win.exit"))"
    diff "$tmp/normal.jsonl" "$tmp/win.jsonl" | head -5
    head -3 "$tmp/win.err"
fi
finish
