# 16. a page with more names than the web-shell analysis keeps: an error
#     record says so (no silent limit), the scan ends quickly, and the real
#     shell beside it is found.
D=$(newdir ws-names)
gen ws_names "$D" 6000
scan ws-names -f jsonl "$D"
check "scan finished within 20 s (took $SECS s)"          within 20
check "an error record says the names were not all followed" has_error 'more names or constant strings'
check "the real shell is found"                            has_finding EXH-WS-001 shell.aspx
check "verdict COMPROMISED"                                is_verdict COMPROMISED
