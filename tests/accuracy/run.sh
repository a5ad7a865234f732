#!/bin/sh
# run.sh EXHUNT: recall and false alarms of the web-shell content rules.
#
# Scans every tests/accuracy/positive/<technique>/ folder and the whole
# tests/accuracy/benign/ tree with `EXHUNT scan -f jsonl <folder>` and reads
# the JSON Lines findings:
#   * a positive file is FOUND when a finding whose rule id starts with
#     EXH-WS- names it in "file":{"path":...} (path relative to the folder);
#   * a benign file is FLAGGED when any EXH-WS- finding names it. Findings of
#     other rule families (locations, artefacts...) are listed, not counted.
# Prints a recall table per technique, the missed files, the benign false
# alarms with their rule ids, and last exactly one line
#   accuracy: N passed, N failed
# Exit status 0 when nothing failed, 1 otherwise, 2 on a usage error.
# Needs only sh, find, sort, grep, sed and awk (POSIX awk, e.g. mawk).
set -u

if [ $# -ne 1 ]; then
    echo "usage: $0 EXHUNT" >&2
    exit 2
fi
bin=$1
case $bin in
/*) ;;
*) [ -x "$bin" ] && bin=$(pwd)/$bin ;;
esac
if ! command -v "$bin" >/dev/null 2>&1; then
    echo "run.sh: $bin: not found or not executable" >&2
    exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
if [ ! -d "$here/positive" ] || [ ! -d "$here/benign" ]; then
    echo "run.sh: $here has no positive/ or benign/ folder" >&2
    exit 2
fi
tab=$(printf '\t')
tmp=$(mktemp -d "${TMPDIR:-/tmp}/exh-accuracy.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' INT TERM

# parse_findings DIR < JSONL: one "path<TAB>rule-id" line per file a finding
# names. JSON escapes \" \\ \/ in paths are undone; a leading "./" or "DIR/"
# is dropped so that paths compare with the `find` listing.
parse_findings() {
    awk -v dir="$1" '
    function unesc(s) {
        gsub(/\\\\/, "\001", s)
        gsub(/\\\//, "/", s)
        gsub(/\\"/, "\"", s)
        gsub(/\001/, "\\", s)
        return s
    }
    {
        line = $0
        if (!match(line, /"rule":\{"id":"[^"]*"/)) next
        rule = substr(line, RSTART + 14, RLENGTH - 15)
        rest = line
        while (match(rest, /"file":\{"path":"([^"\\]|\\.)*"/)) {
            p = unesc(substr(rest, RSTART + 16, RLENGTH - 17))
            rest = substr(rest, RSTART + RLENGTH)
            if (substr(p, 1, 2) == "./") p = substr(p, 3)
            if (substr(p, 1, length(dir) + 1) == dir "/") p = substr(p, length(dir) + 2)
            print p "\t" rule
        }
    }'
}

# list_files DIR: regular files under DIR, relative, sorted, no dot files
list_files() {
    (cd "$1" && find . -type f ! -name '.*' | sed 's|^\./||' | LC_ALL=C sort)
}

# classify FINDINGS FILES ERR: per file "STATUS<TAB>path<TAB>ws-rules<TAB>other-rules"
# with STATUS HIT (an EXH-WS- rule names it), NONE, or ERROR (scan failed);
# findings naming a path outside the listing come out as "STRAY<TAB>path<TAB>rule".
classify() {
    awk -F '\t' -v err="$3" '
    function add(list, r) {
        return index("," list ",", "," r ",") ? list : (list == "" ? r : list "," r)
    }
    FILENAME == ARGV[1] {
        if ($2 ~ /^EXH-WS-/) ws[$1] = add(ws[$1], $2)
        else other[$1] = add(other[$1], $2)
        named[$1] = 1
        next
    }
    {
        listed[$0] = 1
        st = err ? "ERROR" : (($0 in ws) ? "HIT" : "NONE")
        print st "\t" $0 "\t" ws[$0] "\t" other[$0]
    }
    END {
        for (p in named) if (!(p in listed)) {
            r = ws[p]
            if (other[p] != "") r = add(r, other[p])
            print "STRAY\t" p "\t" r
        }
    }' "$1" "$2"
}

# scan NAME DIR: run the scanner; sets scan_err=1 when there is no summary line
scan() {
    out=$tmp/$1
    "$bin" scan -f jsonl "$2" >"$out.jsonl" 2>"$out.err"
    echo $? >"$out.rc"
    scan_err=0
    if ! tail -n 1 "$out.jsonl" | grep -q '"type":"summary"'; then
        scan_err=1
        {
            echo "error: scan of ${2#"$here"/} gave no summary line (exit $(cat "$out.rc"))"
            head -n 3 "$out.err" | sed 's/^/  stderr: /'
        } >>"$tmp/errors"
    fi
    parse_findings "$2" <"$out.jsonl" >"$out.tsv"
}

: >"$tmp/errors"
: >"$tmp/positives"
: >"$tmp/strays"

# ---- positives, one scan per technique ----------------------------------
for d in "$here"/positive/*/; do
    [ -d "$d" ] || continue
    tech=$(basename "$d")
    scan "pos-$tech" "${d%/}"
    list_files "${d%/}" >"$tmp/pos-$tech.files"
    classify "$tmp/pos-$tech.tsv" "$tmp/pos-$tech.files" "$scan_err" >"$tmp/pos-$tech.res"
    grep '^STRAY' "$tmp/pos-$tech.res" | sed "s|^STRAY$tab|positive/$tech/|" >>"$tmp/strays"
    grep -v '^STRAY' "$tmp/pos-$tech.res" | sed "s|^\([A-Z]*\)$tab|\1$tab$tech$tab|" >>"$tmp/positives"
done

# ---- benign, one scan of the whole tree ---------------------------------
scan benign "$here/benign"
list_files "$here/benign" >"$tmp/benign.files"
classify "$tmp/benign.tsv" "$tmp/benign.files" "$scan_err" >"$tmp/benign.res"
grep '^STRAY' "$tmp/benign.res" | sed "s|^STRAY$tab|benign/|" >>"$tmp/strays"
grep -v '^STRAY' "$tmp/benign.res" >"$tmp/benign"

# ---- report -------------------------------------------------------------
# positives lines: STATUS tech path ws other; benign lines: STATUS path ws other
awk -F '\t' -v pfile="$tmp/positives" -v bfile="$tmp/benign" -v cfile="$tmp/counts" '
function pct(a, b) { return b ? sprintf("%5.1f%%", 100 * a / b) : "    -" }
BEGIN {
    while ((getline l < pfile) > 0) {
        split(l, f, "\t")
        if (!(f[2] in ptotal)) order[++ntech] = f[2]
        ptotal[f[2]]++
        if (f[1] == "HIT") { pfound[f[2]]++; pass++ }
        else {
            fail++
            why = f[1] == "ERROR" ? "  (scan failed)" : (f[5] != "" ? "  (only " f[5] ")" : "")
            missed[++nmiss] = f[2] "/" f[3] why
        }
        allp++
    }
    printf "%-16s %11s %7s\n", "technique", "found/total", "recall"
    for (i = 1; i <= ntech; i++) {
        t = order[i]
        printf "%-16s %5d/%-5d %7s\n", t, pfound[t], ptotal[t], pct(pfound[t], ptotal[t])
        sumfound += pfound[t]
    }
    printf "%-16s %5d/%-5d %7s\n", "all positives", sumfound, allp, pct(sumfound, allp)
    print ""
    print "missed positives: " nmiss
    for (i = 1; i <= nmiss; i++) print "  " missed[i]

    while ((getline l < bfile) > 0) {
        split(l, f, "\t")
        n = index(f[2], "/"); style = n ? substr(f[2], 1, n - 1) : "."
        if (!(style in btotal)) border[++nstyle] = style
        btotal[style]++
        allb++
        if (f[1] == "NONE") pass++
        else {
            fail++
            bflag[style]++
            alarms[++nalarm] = f[2] "  " (f[1] == "ERROR" ? "(scan failed)" : f[3])
        }
        if (f[4] != "") others[++nother] = f[2] "  " f[4]
    }
    print ""
    printf "%-16s %13s\n", "benign style", "flagged/total"
    for (i = 1; i <= nstyle; i++) {
        s = border[i]
        printf "%-16s %7d/%-5d\n", s, bflag[s], btotal[s]
        sumflag += bflag[s]
    }
    printf "%-16s %7d/%-5d\n", "all benign", sumflag, allb
    print ""
    print "benign false alarms: " nalarm
    for (i = 1; i <= nalarm; i++) print "  " alarms[i]
    if (nother) {
        print ""
        print "benign files with other (not counted) findings: " nother
        for (i = 1; i <= nother; i++) print "  " others[i]
    }
    printf "%d %d\n", pass, fail > cfile
}'


if [ -s "$tmp/strays" ]; then
    echo ""
    echo "findings naming a path that is not in the corpus (check the path contract):"
    sed "s/^/  /; s/$tab/  /" "$tmp/strays"
fi
if [ -s "$tmp/errors" ]; then
    echo ""
    cat "$tmp/errors"
fi

read -r passed failed <"$tmp/counts"
echo ""
echo "accuracy: $passed passed, $failed failed"
if [ "$failed" -ne 0 ] || [ -s "$tmp/errors" ]; then
    exit 1
fi
exit 0
