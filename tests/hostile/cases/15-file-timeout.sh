# 15. A per-file time budget (--file-timeout, default 60 s): a file read for
#     longer is left out as an error record and the scan goes on (the
#     supervisor stops the scan and runs it again without that file); the
#     verdict is INCOMPLETE at worst. The test-only build (CRASHTEST=1,
#     HOSTILE_TESTBIN) takes ten minutes over a file starting EXHUNT-TEST-SLOW.
scan ft-usage -f jsonl --file-timeout soon "$HL_TMP"
check "--file-timeout soon: usage error, exit 2 (got $RC)" [ "$RC" -eq 2 ]
check "--file-timeout soon: says what it takes" grep -q "file-timeout takes" "$ERR"
if [ -z "${HOSTILE_TESTBIN:-}" ] || [ ! -x "${HOSTILE_TESTBIN:-}" ]; then
    skip "file timeout: no test-only build (HOSTILE_TESTBIN; make hostile builds it)"
else
    D=$(newdir file-timeout)
    mkdir -p "$D/inetpub/wwwroot/aspnet_client" "$D/data"
    printf '<%%@ Page Language="Jscript"%%><%%eval(Request.Item["z"],"unsafe");%%>' \
        >"$D/inetpub/wwwroot/aspnet_client/x.aspx"
    printf 'EXHUNT-TEST-SLOW: ten minutes to read\n' >"$D/data/slow.txt"
    printf 'an ordinary file\n' >"$D/data/plain.txt"
    SAVED_BIN=$BIN BIN=$HOSTILE_TESTBIN
    for j in 1 2; do
        scan "ft-j$j" -f jsonl -j "$j" --file-timeout 2 "$D"
        check "-j $j: exit 1 (the web shell), got $RC" [ "$RC" -eq 1 ]
        check "-j $j: finished within 40 s (took $SECS s)" within 40
        check "-j $j: an error record names the slow file" \
            sh -c 'grep "^{\"type\":\"error\"" "$1" | grep "slow.txt" | grep -q "still being read after 2 s"' _ "$OUT"
        check "-j $j: its code is timeout" has_error '"code":"timeout"'
        check "-j $j: the web shell is found" has_rule EXH-WS-001
        check "-j $j: the supervisor says what it left out" grep -q "took longer than 2 s (--file-timeout)" "$ERR"
        check "-j $j: no crash" no_crash
    done
    check "the same report for -j 1 and -j 2" cmp -s "$HL_TMP/ft-j1.out" "$HL_TMP/ft-j2.out"
    # only the slow file: INCOMPLETE, not CLEAN
    mkdir -p "$D/only" && cp "$D/data/slow.txt" "$D/only/"
    scan ft-only -f jsonl --file-timeout=1 "$D/only"
    check "only the slow file: INCOMPLETE, exit 2 (got $RC)" [ "$RC" -eq 2 ]
    check "only the slow file: verdict INCOMPLETE" is_verdict INCOMPLETE
    BIN=$SAVED_BIN
fi
