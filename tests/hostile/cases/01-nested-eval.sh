# 1. web-shell analysis: K nested eval( calls cost a bounded amount of work
#    (a budget; the page becomes an error record), and the real shell beside
#    it is still found.
D=$(newdir nested-eval)
gen nested_eval "$D" 40000
scan nested-eval -f jsonl "$D"
check "scan finished within 20 s (took $SECS s)"   within 20
check "no crash"                                    no_crash
check "the real shell is found (EXH-WS-001)"        has_finding EXH-WS-001 help.aspx
check "an error record names the stalling page"     has_error errorFE.aspx
check "verdict COMPROMISED"                         is_verdict COMPROMISED
