#!/bin/sh
# conformance.sh EXHUNT: record counts of the public .evtx samples in
# ../shared/evtx-samples/conformance, against the counts other parsers give
# (docs/evtx.md): the records read must match; where the reference expects
# errors, at least one must be reported. Skips with a message when the
# samples are not there.
set -u
bin=$1
case $bin in /*) ;; *) [ -x "$bin" ] && bin=$(pwd)/$bin ;; esac
dir=$(cd "$(dirname "$0")/../.." && pwd)/../shared/evtx-samples/conformance
if [ ! -d "$dir" ]; then
    echo "# skip: $dir is missing (the public samples live in ../shared)"
    echo "evtx-conformance: 0 passed, 0 failed"
    exit 0
fi
pass=0
fail=0
# file|records expected|errors: 0 = none allowed, + = at least one, * = any
cases='security.evtx|2261|0
sample-with-irregular-bool-values.evtx|3028|0
2-vss_0-Microsoft-Windows-RemoteDesktopServices-RdpCoreTS%4Operational.evtx|1910|+
2-vss_0-Microsoft-Windows-TerminalServices-RemoteConnectionManager%4Operational.evtx|1774|+
2-vss_7-System.evtx|1160|0
sample_with_a_bad_chunk_magic.evtx|270|+
Microsoft-Windows-HelloForBusiness%4Operational.evtx|6|0
Microsoft-Windows-LanguagePackSetup%4Operational.evtx|17|0
E_Windows_system32_winevt_logs_Microsoft-Windows-Shell-Core%4Operational.evtx|1146|0
E_Windows_system32_winevt_logs_Microsoft-Windows-CAPI2%4Operational.evtx|340|0
E_ShadowCopy6_windows_system32_winevt_logs_Microsoft-Windows-CAPI2%4Operational.evtx|459|0
Application_no_crc32.evtx|17|0
post-Security.evtx|126|0
sample-with-zero-data-size-event.evtx|335|*
MSExchange_Management_wec.evtx|1|0
issue_201.evtx|1|0'
echo "$cases" | while IFS='|' read -r f want errs; do
    out=$("$bin" evtx "$dir/$f" | tail -n 1)
    got=$(printf '%s' "$out" | sed -n 's/.*"records":\([0-9]*\).*/\1/p')
    gotE=$(printf '%s' "$out" | sed -n 's/.*"errors":\([0-9]*\).*/\1/p')
    gotC=$(printf '%s' "$out" | sed -n 's/.*"crc_mismatches":\([0-9]*\).*/\1/p')
    ok=1
    [ "$got" = "$want" ] || ok=0
    case $errs in
    0) [ "$gotE" = 0 ] || ok=0 ;;
    +) [ $((${gotE:-0} + ${gotC:-0})) -gt 0 ] || ok=0 ;; # damage reported (errors or CRC)
    esac
    if [ $ok = 1 ]; then echo "ok - $f: $got records, $gotE errors, $gotC CRC mismatches"; else echo "not ok - $f: $got records (want $want), $gotE errors, $gotC CRC mismatches (want $errs)"; fi
done >"${TMPDIR:-/tmp}/exh-conf.$$"
pass=$(grep -c '^ok' "${TMPDIR:-/tmp}/exh-conf.$$")
fail=$(grep -c '^not ok' "${TMPDIR:-/tmp}/exh-conf.$$")
cat "${TMPDIR:-/tmp}/exh-conf.$$"
rm -f "${TMPDIR:-/tmp}/exh-conf.$$"
# the forwarded MSExchange Management record: cmdlet and parameters, positional
out=$("$bin" evtx "$dir/MSExchange_Management_wec.evtx" | head -n 1)
if printf '%s' "$out" | grep -q '"data":\["Set-Mailbox"' && printf '%s' "$out" | grep -q 'ForwardingSmtpAddress'; then
    echo "ok - MSExchange_Management_wec.evtx: Set-Mailbox ... -ForwardingSmtpAddress, positional data"
    pass=$((pass + 1))
else
    echo "not ok - MSExchange_Management_wec.evtx data: $out"
    fail=$((fail + 1))
fi
# chunks read in parallel: the same lines in the same order for every -j
set -- "$dir"/*.evtx
one=$("$bin" evtx -j 1 "$@" | cksum)
many=$("$bin" evtx -j 7 "$@" | cksum)
if [ "$one" = "$many" ]; then
    echo "ok - -j 1 and -j 7 print the same output over all $# samples"
    pass=$((pass + 1))
else
    echo "not ok - -j 1 and -j 7 differ ($one vs $many)"
    fail=$((fail + 1))
fi
# --summary decodes the same records and prints only errors and summaries
full=$("$bin" evtx -j 1 "$@" | grep -v '"type":"record"' | cksum)
summ=$("$bin" evtx -s "$@" | cksum)
if [ "$full" = "$summ" ]; then
    echo "ok - --summary gives the same error and summary lines"
    pass=$((pass + 1))
else
    echo "not ok - --summary differs from the full output's error and summary lines"
    fail=$((fail + 1))
fi
echo "evtx-conformance: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
