# 3. minidump reader: RVAs shared or overlapping cost work linear in the
#    file. 4,096 directory entries naming one list of 2,048 modules naming
#    one 64 KiB string (once about 35 minutes) read the list and the name
#    once; names that overlap stop at a work budget with an error record;
#    the lsass.exe module listed first in each is still found.
D=$(newdir minidump-fanout)
gen minidump_fanout "$D" 4096
scan minidump-fanout -f jsonl "$D"
check "scan finished within 20 s (took $SECS s)"     within 20
check "no crash"                                      no_crash
check "the LSASS dump x.bin is found (EXH-ART-001)"   has_finding EXH-ART-001 x.bin
check "the LSASS dump y.bin is found (EXH-ART-001)"   has_finding EXH-ART-001 y.bin
check "an error record says y.bin's names were cut"   has_error y.bin
check "x.bin needed no budget"                        eval '! has_error x.bin'
check "verdict COMPROMISED"                           is_verdict COMPROMISED
