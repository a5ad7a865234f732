#!/bin/sh
# run.sh EXE LINUX_BIN: the Windows build (exhunt.exe) under wine64, beside
# the Linux build.
#  1. Every end-to-end case (tests/e2e/*/): both binaries run with the case's
#     arguments from the case folder, with the clock frozen and the file times
#     fixed as tests/e2e/run.sh does; standard output and exit code must be
#     byte-identical. (Standard error is not compared: it names OS errors in
#     the OS's words.) Cases that cannot be the same are skipped, each with
#     its reason: --yara (exhunt.exe is built without libyara).
#     Then a tree with a path of over 300 characters and a file named
#     "découverte-中.aspx": the same report from both builds. Then
#     `scan --collect` on the example: the copies against the manifest
#     (sha256sum -c) and the Linux build's copies, defanged names, sources
#     unchanged, and a DIR inside the PATH refused.
#  2. Live mode: a fake server in the wine prefix's C: drive (the bundled
#     compromised example: Exchange in a non-default folder named only by the
#     registry value MsiInstallPath, set with `reg add`; IIS logs and web root
#     in the default C:\inetpub; the MSExchange Management event log under
#     C:\windows\system32\winevt\Logs; an archive in C:\ProgramData; a dump in
#     C:\windows\temp). `exhunt.exe scan -f jsonl` with no PATH must report
#     the same findings (rule ids and counts) as the Linux build scanning the
#     example folder, and name the Exchange folder it found in the registry.
#     Then with a hostile applicationHost.config (a share, a comment, an
#     unclosed quote): the share is named and not opened.
#  3. Live mode with %ExchangeInstallPath% pointing elsewhere wins over the
#     registry; with neither, it says that no Exchange install was found.
#  4. `exhunt.exe merge` says that merge is not in the Windows build (exit 2).
# WINE names the wine64 binary; WINEPREFIX defaults to build-win/wineprefix
# (created on first use).
set -u
exe=$1
lin=$2
case $exe in /*) ;; *) exe=$(pwd)/$exe ;; esac
case $lin in /*) ;; *) lin=$(pwd)/$lin ;; esac
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
SUITE=windows
. "$here/wine-env.sh"

pass=0
fail=0
skip=0
ok() { echo "ok - $1"; pass=$((pass + 1)); }
bad() { echo "not ok - $1"; fail=$((fail + 1)); }

# 1. every end-to-end case, both builds
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; [ -n "$WINESERVER" ] && "$WINESERVER" -k >/dev/null 2>&1' EXIT
for dir in "$root"/tests/e2e/*/; do
    name=$(basename "$dir")
    [ -f "$dir/args" ] || continue
    case $(cat "$dir/args") in
    *--yara*) echo "skip - $name (--yara: exhunt.exe is built without libyara)"; skip=$((skip + 1)); continue ;;
    esac
    # indicator files the Windows build cannot read (no jansson, libyaml,
    # expat): it must refuse them, saying so, before scanning (README,
    # "Indicator files"); Loki's regexes are read but not run (no PCRE2)
    case $name in
    ioc-fmt-stix* | ioc-fmt-misp | ioc-fmt-chirp* | ioc-fmt-openioc* | ioc-refused-json)
        (cd "$dir" && eval "set -- $(cat args)" &&
            EXH_NOW=2026-01-01T00:00:00Z "$WINE" "$exe" "$@" >"$tmp/win.out" 2>"$tmp/win.err"
            echo $? >"$tmp/win.exit")
        if [ "$(cat "$tmp/win.exit")" = 2 ] && grep -q 'this build reads no' "$tmp/win.err" &&
            [ ! -s "$tmp/win.out" ]; then
            ok "$name (refused: $(grep -o 'this build reads no[^:]*' "$tmp/win.err" | head -1))"
        else
            bad "$name: exhunt.exe should refuse the file it cannot read (exit $(cat "$tmp/win.exit"))"
            head -3 "$tmp/win.err"
        fi
        continue
        ;;
    ioc-fmt-loki-filename)
        (cd "$dir" && eval "set -- $(cat args)" &&
            EXH_NOW=2026-01-01T00:00:00Z "$WINE" "$exe" "$@" >"$tmp/win.out" 2>"$tmp/win.err")
        if grep -q 'file-name regexes not used: this build has no PCRE2' "$tmp/win.err"; then
            ok "$name (regexes read, not run: stderr says so)"
        else
            bad "$name: exhunt.exe should say its regexes are not run"
            head -3 "$tmp/win.err"
        fi
        continue
        ;;
    esac
    (
        cd "$dir" || exit 1
        for t in input ../../../examples; do
            [ -e "$t" ] && find "$t" -exec touch -h -d '2021-03-04T00:00:00Z' {} + 2>/dev/null
        done
        eval "set -- $(cat args)"
        EXH_NOW=2026-01-01T00:00:00Z NO_COLOR= "$lin" "$@" >"$tmp/lin.out" 2>/dev/null
        echo $? >"$tmp/lin.exit"
        for try in 1 2; do # once more if wine itself failed (not exhunt)
            EXH_NOW=2026-01-01T00:00:00Z NO_COLOR= "$WINE" "$exe" "$@" >"$tmp/win.out" 2>"$tmp/win.err"
            echo $? >"$tmp/win.exit"
            # wine's failures: a message of its own, or (seen once under load since the scan
            # runs in a supervised child process) a run whose report never reached stdout
            if grep -q '^wine' "$tmp/win.err"; then continue; fi
            if [ ! -s "$tmp/win.out" ] && [ -s "$tmp/lin.out" ] && [ "$try" = 1 ]; then
                echo "# $name: wine gave no output; running it once more" >&2
                continue
            fi
            break
        done
    )
    if cmp -s "$tmp/lin.out" "$tmp/win.out" && cmp -s "$tmp/lin.exit" "$tmp/win.exit"; then
        ok "$name"
    else
        bad "$name (exit $(cat "$tmp/win.exit"), Linux $(cat "$tmp/lin.exit"))"
        diff "$tmp/lin.out" "$tmp/win.out" | head -10
        head -3 "$tmp/win.err"
    fi
done

# 1b. a path over 260 characters and non-ASCII names, both builds
deep="$tmp/long/$(printf 'folder-%02d-abcdefghij/' 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15)Logging/HttpProxy/Ecp"
mkdir -p "$deep" "$tmp/long/inetpub/wwwroot/aspnet_client"
cp "$root/examples/compromised/Program Files/Microsoft/Exchange Server/V15/Logging/HttpProxy/Ecp/"*.LOG "$deep/"
name=$(printf 'd\303\251couverte-\344\270\255.aspx') # "découverte-中.aspx" in UTF-8
cp "$root/examples/compromised/inetpub/wwwroot/aspnet_client/discover.aspx" \
    "$tmp/long/inetpub/wwwroot/aspnet_client/$name"
find "$tmp/long" -exec touch -h -d '2021-03-04T00:00:00Z' {} +
(cd "$tmp" && EXH_NOW=2026-01-01T00:00:00Z "$lin" scan -f jsonl long >long-lin.out 2>/dev/null;
    echo $? >long-lin.exit
    EXH_NOW=2026-01-01T00:00:00Z "$WINE" "$exe" scan -f jsonl long >long-win.out 2>long-win.err;
    echo $? >long-win.exit)
if [ "${#deep}" -gt 300 ] && grep -q 'couverte-' "$tmp/long-lin.out" &&
    cmp -s "$tmp/long-lin.out" "$tmp/long-win.out" && cmp -s "$tmp/long-lin.exit" "$tmp/long-win.exit"; then
    ok "a path of ${#deep} characters and a non-ASCII file name: the same report"
else
    bad "long path / non-ASCII name: the reports differ"
    diff "$tmp/long-lin.out" "$tmp/long-win.out" | head -6
    head -3 "$tmp/long-win.err"
fi

# 1c. scan --collect under wine: the copies' hashes against the manifest, the
# same copies (names and hashes) as the Linux build's, names defanged, the
# sources unchanged, report.jsonl equal to the report printed; a DIR inside
# the PATH refused
cp -R "$root/examples/compromised" "$tmp/cev"
find "$tmp/cev" -exec touch -h -d '2021-03-04T00:00:00Z' {} +
csnap() { (cd "$1" && find . -type f -exec sha256sum {} + | sort && find . -exec stat -c '%n %s %y' {} + | sort); }
csnap "$tmp/cev" >"$tmp/cev.before"
copies() { python3 -c '
import json, sys
for line in open(sys.argv[1] + "/manifest.jsonl", encoding="utf-8"):
    m = json.loads(line)
    print(m["sha256"] + "  " + m["copy"])' "$1" | sort; }
(cd "$tmp" && EXH_NOW=2026-01-01T00:00:00Z "$lin" scan -f jsonl --collect cout-lin cev >cev-lin.out 2>/dev/null;
    EXH_NOW=2026-01-01T00:00:00Z "$WINE" "$exe" scan -f jsonl --collect cout-win cev >cev-win.out 2>cev-win.err;
    echo $? >cev-win.exit)
copies "$tmp/cout-lin" >"$tmp/cev-lin.sums" 2>/dev/null
copies "$tmp/cout-win" >"$tmp/cev-win.sums" 2>/dev/null
if [ "$(cat "$tmp/cev-win.exit")" = 1 ] && [ -s "$tmp/cev-win.sums" ] &&
    (cd "$tmp/cout-win" && sha256sum -c --quiet "$tmp/cev-win.sums") &&
    cmp -s "$tmp/cev-lin.sums" "$tmp/cev-win.sums"; then
    ok "--collect: the copies match the manifest (sha256sum -c) and the Linux build's ($(wc -l <"$tmp/cev-win.sums") files)"
else
    bad "--collect: copies or manifest differ (exit $(cat "$tmp/cev-win.exit"))"
    diff "$tmp/cev-lin.sums" "$tmp/cev-win.sums" | head -6
    head -3 "$tmp/cev-win.err"
fi
if [ -f "$tmp/cout-win/inetpub/wwwroot/aspnet_client/discover.aspx.quarantine" ] &&
    ! find "$tmp/cout-win" -type f | grep -Eiq '\.(aspx|asp|ashx|asmx|config|exe|dll|ps1|bat|cmd|vbs|js|hta)$' &&
    grep -q '"ctime_kind":"created"' "$tmp/cout-win/manifest.jsonl" &&
    [ -s "$tmp/cout-win/manifest.csv" ] && cmp -s "$tmp/cev-win.out" "$tmp/cout-win/report.jsonl" &&
    [ "$(stat -c %Y "$tmp/cout-win/Windows/Temp/lsass.dmp")" = "$(stat -c %Y "$tmp/cev/Windows/Temp/lsass.dmp")" ]; then
    ok "--collect: pages defanged, creation times, manifest.csv, report.jsonl as printed, mtime kept"
else
    bad "--collect: names, manifest or report.jsonl wrong"
    find "$tmp/cout-win" -type f | head -20
fi
(cd "$tmp" && "$WINE" "$exe" scan --collect cev/sub cev >/dev/null 2>&1; echo $? >cev-in.exit)
if csnap "$tmp/cev" | cmp -s - "$tmp/cev.before" && [ "$(cat "$tmp/cev-in.exit")" = 2 ]; then
    ok "--collect: the sources are unchanged; a DIR inside the PATH is refused (exit 2)"
else
    bad "--collect: sources changed, or DIR inside the PATH not refused (exit $(cat "$tmp/cev-in.exit"))"
fi

# 2. live mode on a fake server
c="$WINEPREFIX/drive_c"
ex="$root/examples/compromised"
rm -rf "$c/ExchangeFake" "$c/inetpub" "$c/windows/system32/winevt/Logs"
mkdir -p "$c/ExchangeFake" "$c/windows/system32/winevt/Logs" "$c/ProgramData" "$c/windows/temp"
cp -R "$ex/Program Files/Microsoft/Exchange Server/V15" "$c/ExchangeFake/V15"
cp -R "$ex/inetpub" "$c/inetpub"
cp "$ex/Windows/System32/winevt/Logs/"*.evtx "$c/windows/system32/winevt/Logs/"
cp "$ex/ProgramData/it.zip" "$c/ProgramData/exh-test-it.zip"
cp "$ex/Windows/Temp/lsass.dmp" "$c/windows/temp/exh-test-lsass.dmp"
find "$c/ExchangeFake" "$c/inetpub" "$c/windows/system32/winevt/Logs" "$c/ProgramData/exh-test-it.zip" \
    "$c/windows/temp/exh-test-lsass.dmp" -exec touch -h -d '2021-03-04T00:00:00Z' {} + 2>/dev/null
key='HKLM\SOFTWARE\Microsoft\ExchangeServer\v15\Setup'
"$WINE" reg add "$key" /v MsiInstallPath /t REG_SZ /d 'C:\ExchangeFake\V15\' /f >/dev/null 2>&1

rules() { python3 -c '
import json, sys, collections
c = collections.Counter()
for line in open(sys.argv[1], encoding="utf-8"):
    o = json.loads(line)
    if o.get("type") == "finding":
        c[o["rule"]["id"]] += 1
print(" ".join(f"{k}={v}" for k, v in sorted(c.items())))' "$1"; }

(cd "$tmp" && EXH_NOW=2026-01-01T00:00:00Z "$lin" scan -f jsonl "$ex" >lin-live.out 2>/dev/null)
(cd "$tmp" && env -u ExchangeInstallPath EXH_NOW=2026-01-01T00:00:00Z "$WINE" "$exe" scan -f jsonl \
    >win-live.out 2>win-live.err)
echo $? >"$tmp/win-live.exit"
want=$(rules "$tmp/lin-live.out")
got=$(rules "$tmp/win-live.out" 2>/dev/null || echo "(no JSON)")
if [ -n "$want" ] && [ "$want" = "$got" ]; then
    ok "live mode: the same findings as the Linux scan of the example ($want)"
else
    bad "live mode: findings differ"
    echo "  Linux:   $want"
    echo "  Windows: $got"
    head -20 "$tmp/win-live.err"
fi
if grep -q 'Exchange: C:\\ExchangeFake\\V15 (from HKLM' "$tmp/win-live.err"; then
    ok "live mode: Exchange found through the registry"
else
    bad "live mode: Exchange not found through the registry"
    head -10 "$tmp/win-live.err"
fi
if grep -q 'ExchangeFake/V15/Logging/HttpProxy' "$tmp/win-live.out" ||
    grep -q 'ExchangeFake\\\\V15/Logging/HttpProxy' "$tmp/win-live.out"; then
    ok "live mode: findings name the files they came from"
else
    bad "live mode: HttpProxy findings without their file"
fi

# 2b. a hostile applicationHost.config: a commented-out folder, a share, an
# unclosed quote; the share is named and not opened, the real root is read
cfgdir="$c/windows/system32/inetsrv/config"
mkdir -p "$cfgdir"
printf '%s\r\n' '<configuration><!-- <logFile directory="C:\nothere" /> -->' \
    '<logFile directory="\\192.0.2.1\loot" />' '<virtualDirectory physicalPath="C:\unclosed />' \
    '<virtualDirectory path="/" physicalPath="%SystemDrive%\inetpub\wwwroot" />' \
    '<logFile directory="%SystemDrive%\inetpub\logs\LogFiles" /></configuration>' \
    >"$cfgdir/applicationHost.config"
(cd "$tmp" && env -u ExchangeInstallPath EXH_NOW=2026-01-01T00:00:00Z "$WINE" "$exe" scan -f jsonl \
    >cfg.out 2>cfg.err)
if grep -q 'not read: \\\\192.0.2.1\\loot (IIS log folder in applicationHost.config' "$tmp/cfg.err" &&
    grep -q 'reading C:\\inetpub\\wwwroot' "$tmp/cfg.err" && ! grep -q 'nothere\|unclosed' "$tmp/cfg.err" &&
    [ "$(rules "$tmp/cfg.out")" = "$want" ]; then
    ok "live mode: a hostile applicationHost.config (share named, not opened; comment and bad quote ignored)"
else
    bad "live mode: hostile applicationHost.config"
    head -20 "$tmp/cfg.err"
fi
rm -f "$cfgdir/applicationHost.config"

# 3. %ExchangeInstallPath% wins; without both, a clear note
(cd "$tmp" && ExchangeInstallPath='C:\NoSuchExchange\V15\' EXH_NOW=2026-01-01T00:00:00Z "$WINE" "$exe" \
    scan -f jsonl >env.out 2>env.err)
if grep -q 'not present: C:\\NoSuchExchange\\V15 (Exchange install folder)' "$tmp/env.err"; then
    ok "live mode: %ExchangeInstallPath% is used before the registry"
else
    bad "live mode: %ExchangeInstallPath% not used"
    head -10 "$tmp/env.err"
fi
"$WINE" reg delete "$key" /v MsiInstallPath /f >/dev/null 2>&1
(cd "$tmp" && env -u ExchangeInstallPath EXH_NOW=2026-01-01T00:00:00Z "$WINE" "$exe" scan -f jsonl \
    >none.out 2>none.err)
if grep -q 'no Exchange install found' "$tmp/none.err"; then
    ok "live mode: no Exchange install is said plainly"
else
    bad "live mode: no note without an Exchange install"
    head -10 "$tmp/none.err"
fi
rm -rf "$c/ExchangeFake" "$c/inetpub" "$c/windows/system32/winevt/Logs" "$c/ProgramData/exh-test-it.zip" \
    "$c/windows/temp/exh-test-lsass.dmp"

# 4. `exhunt merge` is not in the Windows build (no JSON parser): it says so, exit 2
"$WINE" "$exe" merge "$root/README.md" >"$tmp/merge.out" 2>"$tmp/merge.err"
rc=$?
if [ "$rc" = 2 ] && grep -q 'merge is not in the Windows build' "$tmp/merge.err" && [ ! -s "$tmp/merge.out" ]; then
    ok "merge: not in the Windows build, said plainly (exit 2)"
else
    bad "merge on Windows: exit $rc"
    head -5 "$tmp/merge.err"
fi

echo "windows: $pass passed, $fail failed ($skip skipped)"
[ "$fail" -eq 0 ]
