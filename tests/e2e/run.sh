#!/bin/sh
# run.sh EXHUNT: end-to-end tests. Each tests/e2e/<case>/ holds `args` (the
# command line after `exhunt`, run from the case folder), an input tree and
# the expected standard output (expected.jsonl, expected.txt or expected.csv)
# and exit code (expected.exit), and where present the standard error
# (expected.err). The clock is frozen with EXH_NOW and file
# times are set to a fixed date, so the output is byte-for-byte stable.
# UPDATE=1 rewrites the expectations instead (review them with git diff).
# E2E_NAME names the summary line (make e2e-pieces runs the suite again with
# text logs read in 97-byte pieces: the output must not change).
set -u
bin=$1
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
here=$(cd "$(dirname "$0")" && pwd)
pass=0
fail=0
for dir in "$here"/*/; do
    name=$(basename "$dir")
    [ -f "$dir/args" ] || continue
    exp=""
    for e in jsonl txt csv; do
        [ -f "$dir/expected.$e" ] && exp="$dir/expected.$e"
    done
    if [ -z "$exp" ]; then
        case $(cat "$dir/args") in
        *"-f text"* | *"--format text"*) exp="$dir/expected.txt" ;;
        *"-f csv"* | *"--format csv"*) exp="$dir/expected.csv" ;;
        *) exp="$dir/expected.jsonl" ;;
        esac
    fi
    (
        cd "$dir" || exit 1
        # fixed file times: findings about files carry their mtime
        for t in input ../../../examples; do
            [ -e "$t" ] && find "$t" -exec touch -h -d '2021-03-04T00:00:00Z' {} + 2>/dev/null
        done
        eval "set -- $(cat args)"
        EXH_NOW=2026-01-01T00:00:00Z NO_COLOR= "$bin" "$@" >actual.out 2>actual.err
        echo $? >actual.exit
    )
    if [ "${UPDATE:-}" = 1 ]; then
        cp "$dir/actual.out" "$exp"
        cp "$dir/actual.exit" "$dir/expected.exit"
        [ -f "$dir/expected.err" ] && cp "$dir/actual.err" "$dir/expected.err"
    fi
    errok=1
    if [ -f "$dir/expected.err" ] && ! cmp -s "$dir/actual.err" "$dir/expected.err"; then
        errok=0
    fi
    if [ ! -f "$exp" ] || [ ! -f "$dir/expected.exit" ]; then
        echo "not ok - $name (no expected output: run with UPDATE=1 and review)"
        fail=$((fail + 1))
    elif [ "$errok" = 1 ] && cmp -s "$dir/actual.out" "$exp" &&
        cmp -s "$dir/actual.exit" "$dir/expected.exit"; then
        echo "ok - $name"
        pass=$((pass + 1))
        rm -f "$dir/actual.out" "$dir/actual.err" "$dir/actual.exit"
    else
        echo "not ok - $name (exit $(cat "$dir/actual.exit"), expected $(cat "$dir/expected.exit"))"
        diff "$exp" "$dir/actual.out" | head -20
        [ "$errok" = 1 ] || diff "$dir/expected.err" "$dir/actual.err" | head -5
        fail=$((fail + 1))
    fi
done
# Every case's input as one tree: the same output for -j 1 and, run after run,
# for -j 4 (cases share paths, so cross-file judgements such as a shell found at
# two places must not depend on which worker read which file first)
tmp=$(mktemp -d)
same=1
EXH_NOW=2021-03-10T00:00:00Z "$bin" scan -j 1 -f jsonl -o "$tmp/j1" "$here" >/dev/null 2>&1
for k in 1 2 3; do
    EXH_NOW=2021-03-10T00:00:00Z "$bin" scan -j 4 -f jsonl -o "$tmp/j4" "$here" >/dev/null 2>&1
    cmp -s "$tmp/j1" "$tmp/j4" || same=0
done
if [ -s "$tmp/j1" ] && [ "$same" = 1 ]; then
    echo "ok - whole-tree: -j 1 and three runs of -j 4 give the same JSON Lines"
    pass=$((pass + 1))
else
    echo "not ok - whole-tree: -j 1 and -j 4 differ"
    diff "$tmp/j1" "$tmp/j4" | head -10
    fail=$((fail + 1))
fi
rm -rf "$tmp"
echo "${E2E_NAME:-e2e}: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
