# 12. The walk leaves the evidence as it found it and never leaves the tree:
#     folders and files are opened with O_NOATIME where permitted (their
#     access times do not change), folders relative to their parent with
#     O_NOFOLLOW, files below the root without following any link. Links out
#     of the tree (to a folder and to a file holding a web shell) are not
#     followed. (The swap of a file or folder for a link after the listing is
#     checked race-free in tests/unit/test_os.c.)
if [ -n "${HOSTILE_WRAP:-}" ]; then
    skip "walk links and access times: wine follows Unix symbolic links and sets access times itself"
else
D=$(newdir walk-links-atime)
EV=$D/evidence OUTSIDE=$D/outside
mkdir -p "$EV/inetpub/wwwroot/app/sub" "$OUTSIDE/shells"
printf '<%%@ Page Language="C#" %%><p>Hello</p>\r\n' >"$EV/inetpub/wwwroot/app/default.aspx"
head -c 200000 /dev/zero | tr '\0' 'a' >"$EV/inetpub/wwwroot/app/sub/big.txt"
printf '<%%@ Page Language="Jscript"%%><%%eval(Request.Item["q"],"unsafe");%%>' \
    >"$OUTSIDE/shells/outside.aspx"
ln -s "$OUTSIDE/shells" "$EV/inetpub/wwwroot/app/linked-folder"
ln -s "$OUTSIDE/shells/outside.aspx" "$EV/inetpub/wwwroot/app/linked.aspx"
# every folder and file an old access time (older than its modification time:
# a read would update it even under relatime)
old_atimes() { find "$1" -exec touch -h -a -d '2001-01-01 00:00:00' {} + ; }
atimes() { find "$1" ! -type l -exec stat -c '%X %n' {} + | sort; }
old_atimes "$EV"
mkdir -p "$D/control/sub" && printf 'x\n' >"$D/control/sub/f"
old_atimes "$D/control"
before=$(atimes "$D/control")
ls -R "$D/control" >/dev/null; cat "$D/control/sub/f" >/dev/null
if [ "$(atimes "$D/control")" = "$before" ]; then
    skip "access times: this file system does not update them (noatime)"
    ATIME_TEST=0
else
    ATIME_TEST=1
fi
before=$(atimes "$EV")
scan walk -f jsonl "$EV"
check "scan finished, exit 0 (clean: the shell is outside), got $RC" [ "$RC" -eq 0 ]
check "the web shell behind a folder link is not read" no_rule EXH-WS-001
check "no crash" no_crash
if [ "$ATIME_TEST" -eq 1 ]; then
    after=$(atimes "$EV")
    check "no access time in the evidence changed (folders and files)" [ "$after" = "$before" ]
fi
fi
