# 20. mitigation reader: 20,000 URL Rewrite rules whose patterns backtrack
#     without end on the exploit's cookie, a 1 MiB attribute and an open tag
#     (web.config); 20,000 rules for other sites (applicationHost.config);
#     400,000 mitigation-service log lines ending in removals. The step
#     budget ends every pattern; nothing is credited as a mitigation, so the
#     March 2021 finding stays high.
D=$(newdir rewrite-flood)
gen rewrite_flood "$D" 20000
scan rewrite-flood -f jsonl "$D"
check "scan finished within 30 s (took $SECS s)"          within 30
check "no crash"                                          no_crash
check "ProxyLogon's fix still missing (EXH-EXP-001)"      has_rule EXH-EXP-001
check "nothing counted as mitigated"                      no_rule EXH-EXP-016
check "the June 2026 fix still missing (EXH-EXP-011)"     has_rule EXH-EXP-011
check "verdict EXPOSED"                                   is_verdict EXPOSED
