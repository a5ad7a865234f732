# 11. -o never writes into the evidence: the report's folder and every folder
#     above it are compared with each PATH by device and inode, and the file is
#     opened without following a link, so a dangling link planted where the
#     report goes, a folder alias, a path through .., a hard link to an
#     evidence file or a bind mount cannot put the report inside; the user's
#     own old report is still overwritten.
D=$(newdir output-into-evidence)
EV=$D/evidence OUTD=$D/out
mkdir -p "$EV/inetpub/wwwroot/aspnet_client" "$OUTD"
printf '<%%@ Page Language="Jscript"%%><%%eval(Request.Item["z"],"unsafe");%%>' \
    >"$EV/inetpub/wwwroot/aspnet_client/x.aspx"
printf 'an ordinary evidence file\n' >"$EV/notes.txt"
ev_list() { find "$EV" -exec stat -c '%n %s %Y' {} + | sort; }
EV_BEFORE=$(ev_list)
ev_unchanged() { [ "$(ev_list)" = "$EV_BEFORE" ]; } # nothing new, nothing changed

# (under wine, HOSTILE_WRAP, a Unix symbolic link is no Windows link: wine
# follows it as the file or folder it names, so the link checks are Linux's)
if [ -n "${HOSTILE_WRAP:-}" ]; then
    skip "links into the evidence: wine shows Unix symbolic links as plain files and folders"
else
# a dangling link where the report goes, pointing into the evidence
ln -s "$EV/planted.jsonl" "$OUTD/report.jsonl"
scan o-dangling -f jsonl -o "$OUTD/report.jsonl" "$EV"
check "dangling link into the evidence: refused, exit 2 (got $RC)" [ "$RC" -eq 2 ]
check "dangling link: nothing created in the evidence"  ev_unchanged
check "dangling link: the refusal says why" grep -q "symbolic link" "$ERR"
rm -f "$OUTD/report.jsonl"

# a folder alias (a link to the evidence)
ln -s "$EV" "$OUTD/alias"
scan o-alias -f jsonl -o "$OUTD/alias/r.jsonl" "$EV"
check "folder alias of the evidence: refused, exit 2 (got $RC)" [ "$RC" -eq 2 ]
check "folder alias: 'inside the evidence'" grep -q "inside the evidence" "$ERR"
check "alias: nothing created in the evidence" ev_unchanged
fi
scan o-dotdot -f jsonl -o "$OUTD/../evidence/inetpub/r.jsonl" "$EV"
check "a path through ..: refused, exit 2 (got $RC)" [ "$RC" -eq 2 ]
check "a path through ..: nothing created in the evidence" ev_unchanged

# a hard link to an evidence file (the file is not truncated)
ln "$EV/notes.txt" "$OUTD/hard.jsonl"
scan o-hard -f jsonl -o "$OUTD/hard.jsonl" "$EV"
check "hard link to an evidence file: refused, exit 2 (got $RC)" [ "$RC" -eq 2 ]
check "hard link: the evidence file is untouched" ev_unchanged
rm -f "$OUTD/hard.jsonl"

# the scanned file itself, by its own name
scan o-self -f jsonl -o "$EV/notes.txt" "$EV/notes.txt"
check "the scanned file as -o: refused, exit 2 (got $RC)" [ "$RC" -eq 2 ]
check "the scanned file is untouched" ev_unchanged

# a bind mount of the evidence (names differ; device and inode do not)
mkdir -p "$D/bind"
if mount --bind "$EV" "$D/bind" 2>/dev/null; then
    scan o-bind -f jsonl -o "$D/bind/r.jsonl" "$EV"
    check "bind mount of the evidence: refused, exit 2 (got $RC)" [ "$RC" -eq 2 ]
    check "bind mount: nothing created in the evidence" ev_unchanged
    umount "$D/bind"
else
    skip "bind mount of the evidence (mount --bind not permitted here)"
fi

# an evidence file bind-mounted over the report's name (same file system:
# device and inode of the folder chain do not tell; the mount id does)
: >"$D/over.jsonl"
if [ -n "${HOSTILE_WRAP:-}" ]; then
    skip "file bind mount: Windows has no such mounts (wine would see the Linux one)"
elif mount --bind "$EV/notes.txt" "$D/over.jsonl" 2>/dev/null; then
    scan o-bind-file -f jsonl -o "$D/over.jsonl" "$EV"
    check "an evidence file mounted over the report's name: refused, exit 2 (got $RC)" [ "$RC" -eq 2 ]
    check "file bind mount: the evidence file is untouched" ev_unchanged
    umount "$D/over.jsonl"
else
    skip "file bind mount (mount --bind not permitted here)"
fi

# a case-insensitive file system: the same folder under another case
touch "$D/case-probe"
if [ -e "$D/CASE-PROBE" ]; then
    scan o-case -f jsonl -o "$D/EVIDENCE/r.jsonl" "$EV"
    check "case-insensitive name of the evidence: refused, exit 2 (got $RC)" [ "$RC" -eq 2 ]
else
    skip "case-insensitive path (this file system tells case apart)"
fi

# the user's own old report beside the evidence: overwritten
head -c 100000 /dev/zero | tr '\0' 'o' >"$OUTD/mine.jsonl"
scan o-normal -f jsonl -o "$OUTD/mine.jsonl" "$EV"
check "a normal -o: exit 1 (the shell), got $RC" [ "$RC" -eq 1 ]
check "a normal -o: the old report is replaced by the new one" \
    sh -c '! grep -q ooo "$1" && tail -n 1 "$1" | grep -q "\"type\":\"summary\""' _ "$OUTD/mine.jsonl"
check "a normal -o: the web shell is in it" has_rule EXH-WS-001 "$OUTD/mine.jsonl"
check "no crash" no_crash
