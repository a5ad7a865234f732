#!/bin/bash
# run.sh EXHUNT: the HTML report (`exhunt scan -f html`) in headless Chromium,
# driven over the DevTools protocol (tests/html/cdp.py, standard library only).
# Reports of examples/compromised, exposed and clean, a hostile tree (markup,
# javascript: and bidi controls in the evidence) and two 100,000-finding trees must
# load without any request but the file, without script errors, with nothing
# injected running; the verdict and the timeline show; the filters hide exactly
# their findings; the page reads without JavaScript. Skips (0 passed) when
# chromium is not installed (or CHROMIUM names no program). Last line:
# "html-browser: N passed, N failed".
#
# check_html FILE [check.py options] checks one HTML file; with no options only
# the generic checks any exhunt page must pass (no requests, no errors, nothing
# injected, content without JavaScript): source this file with HTML_LIB=1 to
# use it on other pages. The fleet page of `exhunt merge -f html` is checked
# here too.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
pass=0
fail=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/exh-html.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

check_html() { # FILE [check.py options]
    python3 "$here/check.py" "$@" >"$tmp/out" 2>&1 || echo "not ok - check.py $1 exited $?" >>"$tmp/out"
    while IFS= read -r line; do
        case $line in
        "ok - "*) pass=$((pass + 1)) ;;
        "not ok - "*) echo "$line"; fail=$((fail + 1)) ;;
        *) echo "$line" ;;
        esac
    done <"$tmp/out"
}

[ "${HTML_LIB:-}" = 1 ] && return 0

bin=$1
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac

if ! python3 -c "import sys; sys.path.insert(0, '$here'); import cdp; sys.exit(cdp.find_chromium() is None)"; then
    echo "html-browser: skipped: chromium not found (Debian: apt-get install chromium)"
    echo "html-browser: 0 passed, 0 failed"
    exit 0
fi

scan() { # NAME TREE: the report of TREE in $tmp/NAME.html
    "$bin" scan -f html -o "$tmp/$1.html" "$2" 2>"$tmp/$1.err"
    rc=$?
    if [ "$rc" -le 2 ] && [ -s "$tmp/$1.html" ]; then pass=$((pass + 1)); else
        echo "not ok - $1: exhunt scan -f html exited $rc"; fail=$((fail + 1)); fi
}

# the checker itself: a page with an unlisted script, a handler and a load fails
cat >"$tmp/bad.html" <<'EOF'
<!DOCTYPE html><html><head><title>bad</title></head><body><p>
a page that breaks every rule, to show that the checks can fail: lorem ipsum dolor sit amet,
consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua</p>
<img src="missing.png" onerror="window.__pwned=1"><a href="https://example.invalid/">x</a>
<script>window.__pwned = 2; document.title = "pwned";</script></body></html>
EOF
python3 "$here/check.py" "$tmp/bad.html" >"$tmp/bad.out" 2>&1
for want in "no request but the file itself" "CSP default-src 'none'" "no injected script ran" \
    "no injected element or handler" "no link that leaves the page"; do
    if grep -qF "not ok - bad.html: $want" "$tmp/bad.out"; then pass=$((pass + 1)); else
        echo "not ok - the checker misses a bad page: $want"; fail=$((fail + 1)); fi
done

# and a load the page's CSP blocks is seen in the browser log
cat >"$tmp/csp.html" <<'EOF'
<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'">
<title>csp</title></head><body><p>a page whose one image its CSP blocks: the checker must
see the violation in the browser log; lorem ipsum dolor sit amet, consectetur adipiscing</p>
<img src="x.png"></body></html>
EOF
python3 "$here/check.py" "$tmp/csp.html" >"$tmp/csp.out" 2>&1
if grep -qF "not ok - csp.html: no browser log error" "$tmp/csp.out"; then pass=$((pass + 1)); else
    echo "not ok - the checker misses a CSP violation"; fail=$((fail + 1)); fi

shots=${HTML_SCREENSHOTS:-}
for ex in compromised:COMPROMISED exposed:EXPOSED clean:CLEAN; do
    name=${ex%%:*}
    scan "$name" "$top/examples/$name"
    check_html "$tmp/$name.html" --name "$name" --verdict "${ex#*:}" \
        ${shots:+--screenshot "$shots/report-$name.png" --height 1500}
done

python3 "$here/gen_trees.py" hostile "$tmp/hostile"
scan hostile "$tmp/hostile"
check_html "$tmp/hostile.html" --name hostile --verdict COMPROMISED \
    --text '<script>window.__pwned=1;document.title="pwned"</script>' \
    --text '"><img/src=x/onerror=window.__pwned=2>' --text 'javascript:window.__pwned=3' \
    --text '<U+202E><U+2066><U+200B>' --text '</style>'

python3 "$here/gen_trees.py" busy "$tmp/busy" 100000
scan busy "$tmp/busy"
check_html "$tmp/busy.html" --name busy-100k --verdict TARGETED --timeout 120 \
    --text '100000: critical 0, high 99900, medium 100' --text '99970 more attempt-only addresses'

# 100,000 exploitation findings (never folded): rows and groups are capped
python3 "$here/gen_trees.py" exploits "$tmp/exploits" 100000
scan exploits "$tmp/exploits"
check_html "$tmp/exploits.html" --name exploits-100k --verdict COMPROMISED --timeout 120 \
    --text '99700 more addresses' --text 'see the JSON Lines report'

# `exhunt merge -f html`: the fleet page of the three examples and the hostile
# tree, whose host name is markup (the generic checks, and the texts shown as text)
fleet=$tmp/fleet
mkdir -p "$fleet"
for ex in compromised exposed clean; do
    "$bin" scan -f jsonl --hostname "EXCH-$ex" -o "$fleet/$ex.jsonl" "$top/examples/$ex" 2>/dev/null
done
"$bin" scan -f jsonl --hostname '<script>window.__pwned=9</script>' -o "$fleet/hostile.jsonl" \
    "$tmp/hostile" 2>/dev/null
"$bin" merge -f html -o "$tmp/fleet.html" "$fleet" 2>"$tmp/fleet.err"
rc=$?
if [ "$rc" -eq 1 ] && [ -s "$tmp/fleet.html" ]; then pass=$((pass + 1)); else
    echo "not ok - fleet: exhunt merge -f html exited $rc"; cat "$tmp/fleet.err"; fail=$((fail + 1)); fi
check_html "$tmp/fleet.html" --name fleet --text 'Fleet verdict: COMPROMISED' \
    --text 'EXCH-compromised' --text 'EXCH-exposed' --text 'EXCH-clean' \
    --text '<script>window.__pwned=9</script>' \
    ${shots:+--screenshot "$shots/report-fleet.png" --height 1100}

echo "html-browser: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
