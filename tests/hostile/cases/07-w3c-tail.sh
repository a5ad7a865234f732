# 7. a date-less W3C log (a DateTime column, no date column, no #Date:)
#    whose last 64 lines read as headers: the search for the block date
#    behind the last lines is one backward pass with its pages handed back
#    (it was up to 64 passes over the whole file, every page resident).
D=$(newdir w3c-tail)
gen w3c_tail "$D" 64
scan w3c-tail -f jsonl "$D"
check "finished within 5 s (took $SECS s)"                  within 5
check "peak memory under 60 MB (was $KB KB)"                under_kb 60000
check "no crash"                                            no_crash
check "the ProxyShell attempt in the middle is found"       has_finding EXH-PS-001 203.0.113.11
check "verdict TARGETED"                                    is_verdict TARGETED
