# 2. ECP Server log: the markup search behind EXH-PL-006 (CVE-2021-27065)
#    is one pass per line: 40,000 "url<a " after a Set-OabVirtualDirectory
#    (once cubic: 4,000 took 53 s) and 40,000 cmdlets without a URL cost
#    little, find nothing, and the real attack line after them is found.
D=$(newdir ecp-markup)
gen ecp_markup "$D" 40000
scan ecp-markup -f jsonl "$D"
check "scan finished within 20 s (took $SECS s)"   within 20
check "no crash"                                    no_crash
check "the real Set-OabVirtualDirectory is found (EXH-PL-006)" \
    has_finding EXH-PL-006 "set ExternalUrl to a value holding markup"
check "the hostile lines are no finding"            eval '[ "$(grep -c "\"id\":\"EXH-PL-006\"" "$OUT")" -eq 1 ]'
check "verdict COMPROMISED"                         is_verdict COMPROMISED
