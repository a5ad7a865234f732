# 10. 70,000 404s to distinct pages, then a web shell found on disk is used:
#     requests are kept for the pages files on disk are served at (no cap
#     that a flood fills), so the use is found (EXH-WSU-003) and the output
#     does not depend on -j.
D=$(newdir page-flood)
gen page_flood "$D" 70000
scan page-flood-j1 -j1 -f jsonl "$D"
J1=$OUT
check "-j1: finished within 20 s (took $SECS s)"            within 20
check "-j1: no crash"                                       no_crash
check "-j1: the shell's use is found (EXH-WSU-003)"         has_finding EXH-WSU-003 203.0.113.50
check "-j1: verdict COMPROMISED"                            is_verdict COMPROMISED
scan page-flood-j2 -j2 -f jsonl "$D"
check "-j2: finished within 20 s (took $SECS s)"            within 20
check "-j2: no crash"                                       no_crash
check "-j2: the shell's use is found (EXH-WSU-003)"         has_finding EXH-WSU-003 203.0.113.50
check "-j1 and -j2 outputs are identical"                   cmp -s "$J1" "$OUT"
