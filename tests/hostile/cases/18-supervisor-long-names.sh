# 18. The supervisor names files by their path on a pipe: a slow file whose
#     path, percent-encoded, runs past 4 KiB (seven folders of 200 '%') is left
#     out once and the scan reports (the line was cut, never matched the file,
#     and every run stopped on it again until the supervisor gave up with no
#     report).
if [ -z "${HOSTILE_TESTBIN:-}" ] || [ ! -x "${HOSTILE_TESTBIN:-}" ]; then
    skip "long names: no test-only build (HOSTILE_TESTBIN; make hostile builds it)"
elif [ -n "${HOSTILE_WRAP:-}" ]; then
    skip "long names: a path of 1,400 '%' is past what Windows paths hold"
else
    D=$(newdir long-names)
    P=$D
    PCT=$(printf '%*s' 200 '' | tr ' ' '%')
    for i in 1 2 3 4 5 6 7; do P=$P/$PCT; done
    mkdir -p "$P" "$D/inetpub/wwwroot/aspnet_client"
    printf 'EXHUNT-TEST-SLOW\n' >"$P/slow.log"
    printf '<%%@ Page Language="Jscript"%%><%%eval(Request.Item["z"],"unsafe");%%>' \
        >"$D/inetpub/wwwroot/aspnet_client/x.aspx"
    SAVED_BIN=$BIN BIN=$HOSTILE_TESTBIN
    scan long-names -f jsonl -j 1 --file-timeout 1 "$D"
    BIN=$SAVED_BIN
    check "finished within 30 s (took $SECS s)"            within 30
    check "the slow file is left out once"                 [ "$(grep -c 'took longer' "$ERR")" -eq 1 ]
    check "a timeout error record"                         has_error '"code":"timeout"'
    check "the web shell beside it is found: COMPROMISED"  is_verdict COMPROMISED
fi
