# 17. web-shell analysis, per statement: 40,000 initializers in one
#     statement cost linear work (no budget needed), and 10,000 strings
#     grown by "<%eval(" share one nested-code allowance (an error record);
#     the shell at the end of each page is found.
D=$(newdir ws-statements)
gen ws_statements "$D" 40000
scan ws-statements -f jsonl "$D"
check "scan finished within 20 s (took $SECS s)"        within 20
check "no crash"                                         no_crash
check "the shell after the initializers is found"        has_finding EXH-WS-001 inits.aspx
check "the shell after the grown strings is found"       has_finding EXH-WS-001 grow.aspx
check "an error record says grow.aspx was cut"           has_error grow.aspx
check "inits.aspx needed no budget"                      eval '! has_error inits.aspx'
check "verdict COMPROMISED"                              is_verdict COMPROMISED
