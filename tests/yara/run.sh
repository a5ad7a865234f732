#!/bin/sh
# run.sh EXHUNT: --yara. With a libyara build: a rule written here matches a
# marker file and carries its meta into the finding; a rule that does not
# compile gives an error record and an INCOMPLETE scan. Without libyara:
# --yara is refused with a message that says how to get it.
set -u
bin=$1
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
check() {
    if eval "$2"; then echo "ok - $1"; pass=$((pass + 1)); else echo "not ok - $1"; fail=$((fail + 1)); fi
}
mkdir -p "$tmp/tree" "$tmp/rules"
printf 'hello EXHUNT-YARA-TEST-MARKER\n' >"$tmp/tree/marker.txt"
printf 'nothing to see\n' >"$tmp/tree/plain.txt"
cp "$here/rules/marker.yar" "$tmp/rules/"
printf 'rule broken {\n' >"$tmp/bad.yar"
if "$bin" version | grep -q '^yara yes'; then
    EXH_NOW=2026-01-01T00:00:00Z "$bin" scan -f jsonl --yara "$tmp/rules" "$tmp/tree" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    check "a matching rule exits 1" '[ $rc -eq 1 ]'
    check "one EXH-YARA-001 finding" '[ "$(grep -c "EXH-YARA-001" "$tmp/out")" -eq 1 ]'
    check "it names marker.txt" 'grep "EXH-YARA-001" "$tmp/out" | grep -q "\"path\":\"marker.txt\""'
    check "the rule name and meta are in the evidence" 'grep -q "rule exhunt_test_marker; description=test marker" "$tmp/out"'
    check "plain.txt is not flagged" '! grep -q "plain.txt" "$tmp/out"'
    "$bin" scan -f jsonl --yara "$tmp/bad.yar" "$tmp/tree" >"$tmp/out2" 2>&1
    rc=$?
    check "a rule that does not compile makes the scan INCOMPLETE (exit 2)" '[ $rc -eq 2 ]'
    check "the compile error is an error record" 'grep -q "\"type\":\"error\",\"path\":\"--yara\"" "$tmp/out2"'
    "$bin" scan -f jsonl --yara "$tmp/missing-dir" "$tmp/tree" >"$tmp/out3" 2>&1
    check "a missing rules path is an error record" 'grep -q "\"path\":\"--yara\"" "$tmp/out3"'
    # one bad file among good ones: reported, and the others still match
    mkdir -p "$tmp/mixed"
    cp "$here/rules/marker.yar" "$tmp/mixed/a-marker.yar"
    cp "$tmp/bad.yar" "$tmp/mixed/b-bad.yar"
    # Loki/signature-base externals, set per file at scan time
    printf 'rule loki_ext {\n  strings: $a = "EXHUNT-YARA-TEST-MARKER"\n  condition: $a and filename == "marker.txt" and extension == ".txt" and filepath contains "tree"\n}\nrule loki_ext_no {\n  condition: filename == "nothing-has-this-name.aspx"\n}\n' >"$tmp/mixed/c-loki.yar"
    "$bin" scan -f jsonl --yara "$tmp/mixed" "$tmp/tree" >"$tmp/out4" 2>&1
    check "a bad rule file is one error record naming it" '[ "$(grep -c "\"path\":\"--yara\"" "$tmp/out4")" -eq 1 ] && grep "\"path\":\"--yara\"" "$tmp/out4" | grep -q "b-bad.yar"'
    check "the good files still match beside a bad one" 'grep -q "rule exhunt_test_marker" "$tmp/out4"'
    check "Loki externals (filename, extension, filepath) hold each file's values" 'grep -q "rule loki_ext\"\|rule loki_ext;\|rule loki_ext\b" "$tmp/out4" && ! grep -q "loki_ext_no" "$tmp/out4"'
    # the rule set Loki and THOR run, read from ../shared (never copied here)
    sb=${SHARED:-$here/../../../shared}/rules/signature-base/yara
    if [ -d "$sb" ]; then
        nfiles=$(find "$sb" -type f \( -name '*.yar' -o -name '*.yara' \) | wc -l)
        "$bin" scan -f jsonl --yara "$sb" "$tmp/tree" >"$tmp/out5" 2>"$tmp/err5"
        rc=$?
        check "signature-base ($nfiles files) loads and scans without an abort" '[ $rc -le 2 ] && tail -n 1 "$tmp/out5" | grep -q "\"type\":\"summary\""'
        check "every signature-base file loads (or is reported)" '[ "$(grep -c "\"path\":\"--yara\"" "$tmp/out5")" -eq 0 ] || grep -q "rule file not loaded" "$tmp/out5"'
    else
        echo "skip - signature-base: $sb is absent"
    fi
else
    "$bin" scan --yara "$tmp/rules" "$tmp/tree" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    check "--yara without libyara is a usage error (exit 2)" '[ $rc -eq 2 ]'
    check "the message says how to get libyara" 'grep -q "libyara-dev" "$tmp/err"'
    check "nothing is scanned" '[ ! -s "$tmp/out" ]'
fi
echo "yara: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
