# 9. `exhunt scan DIR/*` over 1,100 logs and a web shell named last: every
#    PATH is read (the 1,024th and later were dropped without a word).
D=$(newdir many-paths)
gen many_paths "$D" 1100
scan many-paths -f jsonl "$D"/*
check "finished within 60 s (took $SECS s)"                 within 60
check "no crash"                                            no_crash
check "all 1,101 files seen and read" \
    grep -q '"files":{"seen":1101,"read":1101,' "$OUT"
check "the web shell given last is found (EXH-WS-001)"      has_finding EXH-WS-001 zz_help.aspx
check "verdict COMPROMISED"                                 is_verdict COMPROMISED
