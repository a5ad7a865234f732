# 14. A file cut shorter while it is mapped (a log rotated or truncated on a
#     live server, a network file) is an error record "changed while read",
#     not a SIGBUS that kills the scan with no output. Race-free: the test-only
#     build (CRASHTEST=1, HOSTILE_TESTBIN) cuts a file starting
#     EXHUNT-TEST-SHRINK to 4 KiB right after mapping it. (A file that grows
#     while read is normal: tests/unit/test_os.c.)
if [ -z "${HOSTILE_TESTBIN:-}" ] || [ ! -x "${HOSTILE_TESTBIN:-}" ]; then
    skip "shrinking file: no test-only build (HOSTILE_TESTBIN; make hostile builds it)"
elif [ -n "${HOSTILE_WRAP:-}" ]; then
    skip "shrinking file: Windows cannot cut a mapped file shorter (the case does not exist there)"
else
    D=$(newdir shrinking-file)
    mkdir -p "$D/inetpub/wwwroot/aspnet_client" "$D/data"
    printf '<%%@ Page Language="Jscript"%%><%%eval(Request.Item["z"],"unsafe");%%>' \
        >"$D/inetpub/wwwroot/aspnet_client/x.aspx"
    { printf 'EXHUNT-TEST-SHRINK: cut to 4 KiB once mapped\n'; head -c 1000000 /dev/zero | tr '\0' 'r'; } \
        >"$D/data/rotated.log"
    SAVED_BIN=$BIN BIN=$HOSTILE_TESTBIN
    scan shrink -f jsonl "$D"
    check "exit 1 (the web shell beside it), got $RC" [ "$RC" -eq 1 ]
    check "no crash, no SIGBUS" no_crash
    check "the report ends with the summary" sh -c 'tail -n 1 "$1" | grep -q "\"type\":\"summary\""' _ "$OUT"
    check "an error record 'changed while read' names the file" has_error "changed while read: it shrank"
    check "... and it is the rotated file" sh -c 'grep "^{\"type\":\"error\"" "$1" | grep -q "rotated.log"' _ "$OUT"
    check "the web shell beside it is found" has_rule EXH-WS-001
    check "no reader crashed (no supervisor rerun)" sh -c '! grep -q "a reader crashed" "$1"' _ "$ERR"
    # in one process too: the handler, not the supervisor, saves the scan
    { printf 'EXHUNT-TEST-SHRINK again\n'; head -c 1000000 /dev/zero | tr '\0' 'r'; } >"$D/data/rotated.log"
    EXH_NO_SUPERVISE=1 scan shrink-unsupervised -f jsonl "$D"
    check "unsupervised: exit 1, got $RC" [ "$RC" -eq 1 ]
    check "unsupervised: the error record" has_error "changed while read"
    BIN=$SAVED_BIN
fi
