# 6. a 66 MiB applicationHost.config (too big to hash up front) with 1,000
#    findings: the file is hashed once, not once per finding (40 s), and
#    every finding carries its true SHA-256.
D=$(newdir bighash)
gen bighash "$D" 1000
SHA=$(sha256sum "$D/Windows/System32/inetsrv/config/applicationHost.config" | cut -d' ' -f1)
scan bighash -f jsonl "$D"
check "finished within 10 s (took $SECS s)"                 within 10
check "no crash"                                            no_crash
check "1,000 findings of EXH-LOC-004" \
    test "$(grep -c '"id":"EXH-LOC-004"' "$OUT")" -eq 1000
check "each carries the file's SHA-256" \
    test "$(grep -c "\"sha256\":\"$SHA\"" "$OUT")" -eq 1000
check "verdict COMPROMISED"                                 is_verdict COMPROMISED
