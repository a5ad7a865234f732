# 5. 40,000 findings from 40,000 source addresses: grouping them into actors
#    is n log n (a sort), not a search of every actor per finding (15 s).
D=$(newdir actors)
gen actors "$D" 40000
scan actors -f jsonl "$D"
check "finished within 8 s (took $SECS s)"                  within 8
check "no crash"                                            no_crash
check "every probe is a finding (40,001 EXH-ECP-001)" \
    test "$(grep -c '"id":"EXH-ECP-001"' "$OUT")" -eq 40001
check "the first address is one actor with both its probes" \
    has_finding EXH-ECP-001 '"actor":{"ip":"198.0.0.0","first":"2020-03-02T04:27:55.000Z","last":"2020-03-02T23:59:59.000Z"'
check "verdict TARGETED"                                    is_verdict TARGETED
