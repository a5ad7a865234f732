#!/bin/sh
# check.sh EXHUNT: the README, docs/rules.md, --help and `exhunt rules` must agree
# with the code: every rule the binary knows is documented with its severity and
# stage, every option `exhunt scan --help` lists is in the README, and every rule
# is emitted exactly where rules.def's emitters column says (rule_owners.py).
set -u
bin=$1
case $bin in /*) ;; */*) bin=$(pwd)/$bin ;; *) bin=$(pwd)/$bin ;; esac
top=$(cd "$(dirname "$0")/../.." && pwd)
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "not ok - $*"; fail=$((fail + 1)); }

rules=$("$bin" rules -f jsonl) || { bad "exhunt rules failed"; rules=""; }
[ -n "$rules" ] && ok || bad "exhunt rules printed nothing"
echo "$rules" | while IFS= read -r line; do
    [ -n "$line" ] || continue
    id=$(printf '%s' "$line" | sed -n 's/.*"id":"\([^"]*\)".*/\1/p')
    sev=$(printf '%s' "$line" | sed -n 's/.*"severity":"\([^"]*\)".*/\1/p')
    stage=$(printf '%s' "$line" | sed -n 's/.*"stage":"\([^"]*\)".*/\1/p')
    if grep -q "^| $id | $sev | $stage |" "$top/README.md"; then echo "ok"; else echo "not ok - README table row for $id ($sev, $stage)"; fi
    if grep -q "$id" "$top/docs/rules.md"; then echo "ok"; else echo "not ok - docs/rules.md mentions $id"; fi
    if "$bin" explain "$id" >/dev/null; then echo "ok"; else echo "not ok - exhunt explain $id"; fi
done >"${TMPDIR:-/tmp}/exh-docs.$$"
while IFS= read -r r; do
    case $r in ok) ok ;; *) bad "${r#not ok - }" ;; esac
done <"${TMPDIR:-/tmp}/exh-docs.$$"
rm -f "${TMPDIR:-/tmp}/exh-docs.$$"

# README rows that name a rule the binary does not know
for id in $(grep -o '^| EXH-[A-Z]*-[0-9]*' "$top/README.md" | cut -c3-); do
    if printf '%s\n' "$rules" | grep -q "\"id\":\"$id\""; then ok; else bad "README names unknown rule $id"; fi
done

# every long option in `scan --help` is in the README, and vice versa
help=$("$bin" scan --help)
for opt in $(printf '%s\n' "$help" | grep -o -- '--[a-z][a-z-]*' | sort -u); do
    if grep -q -- "$opt" "$top/README.md"; then ok; else bad "README lacks scan option $opt"; fi
done
for opt in $(sed -n '/^Options of `exhunt scan`/,/^Options of `exhunt evtx`/p' "$top/README.md" | grep -o -- '--[a-z][a-z-]*' | sort -u); do
    if printf '%s\n' "$help" | grep -q -- "$opt"; then ok; else bad "scan --help lacks $opt (named in README)"; fi
done
# the same both ways for `exhunt evtx` and `exhunt probe`: every option in
# --help is in the command's README table and every option there in --help
both_ways() { # COMMAND HELP README-TEXT
    for opt in $(printf '%s\n' "$2" | grep -o -- '--[a-z][a-z-]*' | sort -u); do
        if printf '%s\n' "$3" | grep -q -- "$opt"; then ok; else bad "README lacks $1 option $opt"; fi
    done
    for opt in $(printf '%s\n' "$3" | grep -o -- '--[a-z][a-z-]*' | sort -u); do
        if printf '%s\n' "$2" | grep -q -- "$opt"; then ok; else bad "$1 --help lacks $opt (named in README)"; fi
    done
}
both_ways evtx "$("$bin" evtx --help)" "$(sed -n '/^Options of `exhunt evtx`/,/^Environment/p' "$top/README.md")"
# (probe's table ends at the next section)
both_ways probe "$("$bin" probe --help)" "$(sed -n '/^Options of `exhunt probe`/,/^## /p' "$top/README.md")"
# (merge's table ends at the exit codes that follow it)
both_ways merge "$("$bin" merge --help)" "$(sed -n '/^Options of `exhunt merge`/,/^Exit codes, for the worst host/p' "$top/README.md")"
# every fleet record type and error code of docs/merge.md is in merge's --help or
# the README, and each code the engine writes is in docs/merge.md
for code in corrupt truncated not_exhunt too_long schema no_summary more not_found; do
    if grep -q "\`$code\`" "$top/docs/merge.md"; then ok; else bad "docs/merge.md lacks error code $code"; fi
done
for t in host actor dropped error summary; do
    if grep -q "^### $t" "$top/docs/merge.md"; then ok; else bad "docs/merge.md lacks record $t"; fi
done
for c in scan probe merge rules explain evtx version; do
    if "$bin" --help | grep -q "^  $c "; then ok; else bad "--help lacks command $c"; fi
    if grep -q "exhunt $c" "$top/README.md"; then ok; else bad "README lacks 'exhunt $c'"; fi
done
# every rule is emitted in the file(s) its rules.def row names, and only there
owners=$(python3 "$top/tests/docs/rule_owners.py" "$top" 2>&1)
[ -n "$owners" ] && ok || bad "rule_owners.py printed nothing"
while IFS= read -r r; do
    case $r in ok) ok ;; *) bad "rule_owners: ${r#not ok - }" ;; esac
done <<EOF
$owners
EOF
echo "docs: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
