# 19. PE version reader: an ExSetup.exe whose resource root holds 65,535
#     entries that all point back at itself, and 255 front-end DLLs claiming
#     65,535 sections with a version block of zero-length children and an
#     endless string. The loop is an error record naming ExSetup.exe, the
#     DLLs give no version (and no error: a front-end DLL without one is not
#     evidence), and the logs' build is judged instead.
D=$(newdir pe-fanout)
gen pe_fanout "$D" 65535
scan pe-fanout -f jsonl "$D"
check "scan finished within 20 s (took $SECS s)"         within 20
check "no crash"                                          no_crash
check "an error record names ExSetup.exe"                 has_error ExSetup.exe
check "the build judged comes from the logs" \
    grep -q '"source":"logs"' "$OUT"
check "no partly-applied update from the DLLs"            no_rule EXH-EXP-015
check "the logs' build lacks Feb23SU (EXH-EXP-009)"       has_rule EXH-EXP-009
