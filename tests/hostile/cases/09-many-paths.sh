# 9. `exhunt scan DIR/*` over 1,100 logs and a web shell named last: every
#    PATH is read (the 1,024th and later were dropped without a word).
D=$(newdir many-paths)
gen many_paths "$D" 1100
scan many-paths -f jsonl "$D"/*
check "finished within 60 s (took $SECS s)"                 within 60
check "no crash"                                            no_crash
check "all 1,101 files seen and read" \
    grep -q '"files":{"seen":1101,"read":1101,' "$OUT"
check "the web shell given last is found (EXH-WS-001)"      has_finding EXH-WS-001 zz_help.aspx
check "verdict COMPROMISED"                                 is_verdict COMPROMISED

# and 3,000 folder PATHs, each given again by its file inside: each file is
# read once (as part of its folder), and telling what lies inside what is
# n log n (every pair was compared: 2,000 folders took 48 s)
# (under wine 500: a Windows command line holds at most 32,767 characters)
ND=3000
[ -n "${HOSTILE_WRAP:-}" ] && ND=500
# (with at most 512 open files: a descriptor kept per folder PATH once ran out)
D=$(newdir many-dirs)
gen many_dirs "$D" "$ND"
NOFILE=$(ulimit -S -n)
[ -z "${HOSTILE_WRAP:-}" ] && ulimit -S -n 512
scan many-dirs -f jsonl "$D"/* "$D"/*/*
ulimit -S -n "$NOFILE"
check "$((ND + 1)) folders and their files as PATHs: finished within 20 s (took $SECS s)" within 20
check "each file seen and read once" grep -q "\"files\":{\"seen\":$((ND + 1)),\"read\":$((ND + 1))," "$OUT"
check "the web shell is found (EXH-WS-001)"                 has_finding EXH-WS-001 help.aspx
check "verdict COMPROMISED"                                 is_verdict COMPROMISED

# one file given three ways (as is, with ./, through a link): read once
D=$(newdir same-file)
gen many_paths "$D/o" 1
ln -s o/u_ex000000.log "$D/link.log"
scan same-file -f jsonl "$D/o/u_ex000000.log" "$D/o/./u_ex000000.log" "$D/link.log"
check "one file under three names: seen and read once" grep -q '"files":{"seen":1,"read":1,' "$OUT"

# a file given directly that is a link, inside a folder also given: the
# folder's walk skips the link, the PATH given is read (it was refused as
# "became a symbolic link")
if [ -z "${HOSTILE_WRAP:-}" ]; then
    D=$(newdir direct-link)
    gen forwarded "$D/outside" direct 10
    mkdir -p "$D/ev"
    ln -s ../outside/inetpub/logs/LogFiles/W3SVC1/u_ex210823.log "$D/ev/u_ex210823.log"
    scan direct-link -f jsonl "$D/ev" "$D/ev/u_ex210823.log"
    check "a linked file given directly beside its folder: read, TARGETED" is_verdict TARGETED
    check "a linked file given directly: no error record" sh -c '! grep -q "^{\"type\":\"error\"" "$1"' _ "$OUT"
else
    skip "direct link: wine shows Unix links as plain files"
fi
