# 4. a header block of 64 MiB of blank lines before the one attack row: the
#    reader looks at a bounded start of the file for the header block, so
#    the file read whole and read in 4 MiB pieces (16 pieces that once each
#    re-read the file from byte 0: quadratic, and every page stayed resident)
#    costs time and memory linear and small; the attack row is still found,
#    at its file-wide line number.
D=$(newdir bignl)
gen bignl "$D" 64
LINE='"line":67108869,'   # 4 header lines + 64 Mi blank lines + 1
scan bignl -j1 -f jsonl "$D"
check "whole: finished within 5 s (took $SECS s)"          within 5
check "whole: peak memory under 60 MB (was $KB KB)"        under_kb 60000
check "whole: no crash"                                     no_crash
check "whole: the ProxyShell attempt, at its line"          has_finding EXH-PS-001 "$LINE"
check "whole: verdict TARGETED"                             is_verdict TARGETED
EXH_PIECE_BYTES=4194304 scan bignl-pieces -j2 -f jsonl "$D"
check "pieces: finished within 5 s (took $SECS s)"         within 5
check "pieces: peak memory under 60 MB (was $KB KB)"       under_kb 60000
check "pieces: no crash"                                    no_crash
check "pieces: the ProxyShell attempt, at its line"         has_finding EXH-PS-001 "$LINE"
check "pieces: verdict TARGETED"                            is_verdict TARGETED
