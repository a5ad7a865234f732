#!/bin/bash
# run.sh EXHUNT: contrib/ansible run for real. An inventory of seven hosts on
# this machine (group exhunt_linux; ansible_connection=local), each with its
# own evidence and remote folder: the three examples, a generated server
# (bench/gen_tree.py), one whose evidence path does not exist, one whose
# pinned SHA-256 is wrong, (with an ssh client) one unreachable over ssh, and
# one compromised host (exch08: its "binary" scans and then plants a link to
# /etc/passwd in the collection) whose archive the controller must refuse.
# ansible-playbook copies EXHUNT (dist/exhunt when it exists), scans, fetches
# and merges; then the results, the failure records, the
# fleet report and a rerun are checked, and ansible-lint and --syntax-check are
# run on the playbook (the Windows play is checked only so: no Windows host here).
set -u
bin=$1
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
pb=$top/contrib/ansible/exhunt.yml
[ -x "$top/dist/exhunt" ] && bin=$top/dist/exhunt
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "not ok - $*"; fail=$((fail + 1)); }
check() { # WHAT COMMAND...
    what=$1
    shift
    if "$@"; then ok; else bad "$what"; fi
}
for c in ansible-playbook ansible-lint; do
    command -v "$c" >/dev/null 2>&1 || { echo "ansible: $c not found (apt-get install ansible ansible-lint)"; echo "ansible: 0 passed, 1 failed"; exit 1; }
done
w=$(mktemp -d "${TMPDIR:-/tmp}/exh-ansible.XXXXXX")
[ "${KEEP:-}" = 1 ] && echo "ansible: work folder $w (kept)" || trap 'rm -rf "$w"' EXIT INT TERM
export ANSIBLE_HOME=$w/home ANSIBLE_LOCAL_TEMP=$w/tmp-local ANSIBLE_REMOTE_TEMP=$w/tmp-remote
export ANSIBLE_FORKS=6 ANSIBLE_PIPELINING=True ANSIBLE_NOCOLOR=1 ANSIBLE_RETRY_FILES_ENABLED=0 ANSIBLE_PYTHON_INTERPRETER=/usr/bin/python3
export ANSIBLE_DEPRECATION_WARNINGS=0 ANSIBLE_LOCALHOST_WARNING=0 ANSIBLE_CONFIG=$w/ansible.cfg

printf '[defaults]\n' >"$w/ansible.cfg"
sha=$(sha256sum "$bin" | cut -d' ' -f1)
python3 "$top/bench/gen_tree.py" --size 2M --seed 3 --out "$w/gen" >/dev/null 2>&1 || bad "bench/gen_tree.py"
# exch08's "binary", as an attacker on the host could make it: the real scan,
# then a link to /etc/passwd in the --collect folder before it is packed
mkdir -p "$w/evil"
cat >"$w/evil/exhunt" <<EOF
#!/bin/sh
"$bin" "\$@"
rc=\$?
prev=
for a in "\$@"; do [ "\$prev" = --collect ] && ln -s /etc/passwd "\$a/passwd"; prev=\$a; done
exit \$rc
EOF
chmod +x "$w/evil/exhunt"
evil="exch08 exhunt_evidence=$top/examples/compromised exhunt_collect=true exhunt_binary=$w/evil/exhunt exhunt_sha256=$(sha256sum "$w/evil/exhunt" | cut -d' ' -f1)"
# with an ssh client, exch07 is unreachable: ssh to a closed port of this machine
unreachable= want=2
if command -v ssh >/dev/null 2>&1; then
    unreachable="exch07 ansible_connection=ssh ansible_host=127.0.0.1 ansible_port=1 ansible_ssh_common_args='-o BatchMode=yes -o ConnectTimeout=5' exhunt_evidence=/evidence"
    want=4
fi
cat >"$w/hosts.ini" <<INI
[exhunt_linux]
exch01 exhunt_evidence=$top/examples/compromised exhunt_collect=true
exch02 exhunt_evidence=$top/examples/exposed
exch03 exhunt_evidence=$top/examples/clean
exch04 exhunt_evidence=$w/gen
exch05 exhunt_evidence=$w/no-such-evidence
exch06 exhunt_evidence=$top/examples/clean exhunt_sha256=$(printf '%064d' 0 | tr 0 f)
$unreachable
$evil

[exhunt_linux:vars]
ansible_connection=local
exhunt_binary=$bin
exhunt_sha256=$sha
exhunt_remote_dir=$w/remote/exhunt-{{ inventory_hostname }}
exhunt_timeout=300
INI
r=$w/results
run() { # LOG [ARGS]: the playbook over the inventory
    log=$1
    shift
    ansible-playbook -i "$w/hosts.ini" "$pb" -e "exhunt_results_dir=$r" -e "exhunt_merge_binary=$bin" "$@" >"$w/$log" 2>&1
}

# 1. the run: the broken hosts fail, so the last play fails (exit 2; 4 when a
# host was unreachable)
run run1.log
rc=$?
check "ansible-playbook exits $want when hosts failed (got $rc)" [ "$rc" = "$want" ]
[ "$rc" = "$want" ] || tail -40 "$w/run1.log"
# summary VERDICT FILE: the result's last line is its summary with VERDICT
summary() { tail -n 1 "$2" | grep -q "^{\"type\":\"summary\",\"schema_version\":1,\"exhunt\":{\"verdict\":\"$1\""; }
for hv in exch01:COMPROMISED exch02:EXPOSED exch03:CLEAN exch04:COMPROMISED exch08:COMPROMISED; do
    h=${hv%%:*} v=${hv#*:}
    check "$h: results/$h/exhunt.jsonl" [ -s "$r/$h/exhunt.jsonl" ]
    check "$h: verdict $v in its summary" summary "$v" "$r/$h/exhunt.jsonl"
    check "$h: host.name is the inventory name" grep -q "\"host\":{\"name\":\"$h\"}" "$r/$h/exhunt.jsonl"
    check "$h: not marked failed" [ ! -e "$r/$h/FAILED.txt" ]
    check "$h: remote folder removed" [ ! -e "$w/remote/exhunt-$h" ]
    check "$h: ok in the recap" grep -Eq "^$h +: ok=[1-9][0-9]* +changed=[0-9]+ +unreachable=0 +failed=0 .*rescued=0" "$w/run1.log"
done
check "exch01: --collect fetched and unpacked" [ -s "$r/exch01/collect/manifest.jsonl" ]
check "exch01: the collection's report" [ -s "$r/exch01/collect/report.jsonl" ]
check "exch01: no archive left" [ ! -e "$r/exch01/collect.tar.gz" ]
check "exch01: the collected files match their manifest" sh -c "cd '$r/exch01/collect' && python3 -c 'import json
for l in open(\"manifest.jsonl\"):
    m = json.loads(l); print(m[\"sha256\"] + \"  \" + m[\"copy\"])' | sha256sum -c --quiet"
check "exch01: no COLLECT-REFUSED.txt or COLLECT-MISMATCH.txt" [ ! -e "$r/exch01/COLLECT-REFUSED.txt" ] && [ ! -e "$r/exch01/COLLECT-MISMATCH.txt" ]
check "exch08: the collection with a link is refused" grep -q '"collect/passwd": a link (to "/etc/passwd")' "$r/exch08/COLLECT-REFUSED.txt"
check "exch08: nothing unpacked" [ ! -e "$r/exch08/collect" ] && [ ! -e "$r/exch08/passwd" ] && [ ! -e "$r/exch08/collect.tar.gz" ]
check "exch08: no unpack folder left" sh -c "! ls -a '$r/exch08' | grep -q '^\.collect-'"
check "exch08: the refused archive is kept, not unpacked" [ -s "$r/exch08/collect-refused.tar.gz" ]
check "exch08: the refusal is said in the run" grep -q 'exch08: collection refused' "$w/run1.log"
check "exch08: the refused collection is listed at the end" grep -q "1 collection(s) refused or not matching their manifest: exch08" "$w/run1.log"
check "exch05: FAILED.txt says the evidence is missing" grep -q "evidence path not found on exch05" "$r/exch05/FAILED.txt"
check "exch05: no result" [ ! -e "$r/exch05/exhunt.jsonl" ]
check "exch06: FAILED.txt says the checksum does not match" grep -q "SHA-256 is not exhunt_sha256" "$r/exch06/FAILED.txt"
check "exch06: no result" [ ! -e "$r/exch06/exhunt.jsonl" ]
check "exch05, exch06: rescued in the recap" [ "$(grep -Ec '^exch0[56] +: .*failed=0 .*rescued=1' "$w/run1.log")" = 2 ]
if [ -n "$unreachable" ]; then
    check "exch07: FAILED.txt says it did not finish (unreachable)" grep -q "host unreachable" "$r/exch07/FAILED.txt"
    check "exch07: unreachable in the recap" grep -Eq '^exch07 +: .*unreachable=1' "$w/run1.log"
    check "the failed hosts are listed at the end" grep -q "3 host(s) failed: exch05, exch06, exch07" "$w/run1.log"
else
    echo "ansible: no ssh client: the unreachable host (exch07) is left out"
    check "the failed hosts are listed at the end" grep -q "2 host(s) failed: exch05, exch06" "$w/run1.log"
fi
for f in fleet.txt fleet.html fleet.jsonl; do
    check "results/$f" [ -s "$r/$f" ]
done
fleet_ok() {
    tail -n 1 "$r/fleet.jsonl" | grep -q '"verdicts":{"COMPROMISED":3,"TARGETED":0,"EXPOSED":1,"INCOMPLETE":0,"CLEAN":1},"hosts":5,"actors":[0-9]*,"dropped":0,"errors":0' &&
        [ "$(grep -c '^{"type":"host"' "$r/fleet.jsonl")" = 5 ] &&
        for h in exch01 exch02 exch03 exch04 exch08; do grep -q "\"host\":{\"name\":\"$h\"}" "$r/fleet.jsonl" || return 1; done &&
        grep -q '^fleet verdict: COMPROMISED (exit 1)' "$r/fleet.txt" &&
        grep -q 'exch04' "$r/fleet.html"
}
check "the fleet report: 5 hosts (exch08's result kept), 3 compromised, 1 exposed, 1 clean" fleet_ok
check "the fleet report leaves out the failed hosts" sh -c "! grep -q 'exch0[567]' '$r/fleet.jsonl'"
check "the fleet report is shown" grep -q 'fleet verdict: COMPROMISED' "$w/run1.log"

# 2. a rerun (of three hosts, for time: exch01 with its collection, exch05
# whose evidence is found since, exch06 still broken) replaces their results:
# the same files (exch05's FAILED.txt is now its result), one result per
# host, the same host records for the others and exch05 in the fleet
(cd "$r" && find . -type f | sed 's|^./exch05/FAILED.txt$|./exch05/exhunt.jsonl|' | sort) >"$w/files1"
cp "$r/fleet.jsonl" "$w/fleet1.jsonl"
sed -i "s|^exch05 exhunt_evidence=.*|exch05 exhunt_evidence=$top/examples/exposed|" "$w/hosts.ini"
run run2.log --limit exch01,exch05,exch06,localhost
rc=$?
check "rerun: exit 2, exch06 still failed (got $rc)" [ "$rc" = 2 ]
(cd "$r" && find . -type f | sort) >"$w/files2"
check "rerun: the same files ($(wc -l <"$w/files1") before, $(wc -l <"$w/files2") after)" cmp -s "$w/files1" "$w/files2"
check "rerun: one result per host" [ "$(find "$r" -name 'exhunt.jsonl*' | wc -l)" = 6 ]
check "rerun: exch05 has its result" summary EXPOSED "$r/exch05/exhunt.jsonl"
check "rerun: exch05's FAILED.txt is gone" [ ! -e "$r/exch05/FAILED.txt" ]
check "rerun: exch06 still failed" grep -q "SHA-256 is not exhunt_sha256" "$r/exch06/FAILED.txt"
check "rerun: 6 hosts in the fleet, none dropped" grep -q '"verdicts":{"COMPROMISED":3,"TARGETED":0,"EXPOSED":2,"INCOMPLETE":0,"CLEAN":1},"hosts":6,"actors":[0-9]*,"dropped":0,"errors":0' "$r/fleet.jsonl"
check "rerun: the same host records for the others" cmp -s <(grep '^{"type":"host"' "$w/fleet1.jsonl" | sed 's/"scan_time":"[^"]*"//') \
    <(grep '^{"type":"host"' "$r/fleet.jsonl" | grep -v '"name":"exch05"' | sed 's/"scan_time":"[^"]*"//')
# (exch07, not rerun, keeps its FAILED.txt of the first run)
if [ -n "$unreachable" ]; then failed="2 host(s) failed: exch06, exch07"; else failed="1 host(s) failed: exch06"; fi
check "rerun: the failed hosts listed at the end" grep -q "$failed" "$w/run2.log"

# 3. the controller's check of a collection archive, by itself: hostile tar.gz
# and zip archives (as a compromised host could send) are refused with their
# reason and nothing written; a good one is unpacked, and a file that does not
# match the manifest is recorded
unpack=$top/contrib/ansible/roles/exhunt/files/exhunt_unpack.py
python3 - "$w/arch" <<'PY' || bad "the hostile archives could not be made"
import hashlib, io, json, os, sys, tarfile, zipfile
d = sys.argv[1]
os.makedirs(d)
data = b"web shell\n"
man = json.dumps({"copy": "a/x.aspx.quarantine", "sha256": hashlib.sha256(data).hexdigest()}).encode() + b"\n"
R, D = tarfile.REGTYPE, tarfile.DIRTYPE
def tgz(name, members):
    with tarfile.open(os.path.join(d, name + ".tar.gz"), "w:gz") as t:
        for m in members:
            ti = tarfile.TarInfo(m[0])
            ti.type = m[1]
            ti.linkname = m[2] if len(m) > 2 else ""
            body = m[3] if len(m) > 3 else b""
            ti.size = len(body) if ti.type == R else 0
            t.addfile(ti, io.BytesIO(body) if ti.type == R else None)
def zp(name, members):
    with zipfile.ZipFile(os.path.join(d, name + ".zip"), "w") as z:
        for n, body, mode in members:
            zi = zipfile.ZipInfo(n)
            zi.external_attr = mode << 16
            z.writestr(zi, body)
ok = [("collect", D), ("collect/manifest.jsonl", R, "", man), ("collect/a", D), ("collect/a/x.aspx.quarantine", R, "", data)]
tgz("good", ok)
tgz("mismatch", ok[:3] + [("collect/a/x.aspx.quarantine", R, "", b"changed\n"), ("collect/extra", R, "", b"x")])
tgz("dotdot", ok + [("collect/../../../evil", R, "", b"x")])
tgz("absolute", ok + [("/tmp/exh-ansible-evil", R, "", b"x")])
tgz("outside", ok + [("exhunt.jsonl", R, "", b"x")])
tgz("symlink", ok + [("collect/passwd", tarfile.SYMTYPE, "/etc/passwd")])
tgz("hardlink", ok + [("collect/passwd", tarfile.LNKTYPE, "/etc/passwd")])
tgz("device", ok + [("collect/null", tarfile.CHRTYPE)])
tgz("fifo", ok + [("collect/fifo", tarfile.FIFOTYPE)])
tgz("twice", ok + [("collect/a/x.aspx.quarantine", R, "", data)])
tgz("big", ok + [("collect/big", R, "", b"\0" * 5000)])
tgz("many", ok + [("collect/f%d" % i, R, "", b"") for i in range(20)])
with open(os.path.join(d, "notgz.tar.gz"), "wb") as f:
    f.write(b"not an archive")
zok = [("manifest.jsonl", man, 0o100644), ("a/", b"", 0o40755), ("a/x.aspx.quarantine", data, 0o100644)]
zp("zgood", zok)
zp("zdrive", zok + [("C:/Windows/evil", b"x", 0o100644)])
zp("zbackslash", zok + [("..\\..\\evil", b"x", 0o100644)])
zp("zsymlink", zok + [("passwd", b"/etc/passwd", 0o120777)])
zp("zdotdot", zok + [("../evil", b"x", 0o100644)])
PY
# unpack_case NAME FORMAT WANT_RC [REASON]: the script on a copy of arch/NAME
# (limits: 4096 bytes, 12 members)
unpack_case() {
    n=$1 fmt=$2 want=$3 why=${4:-}
    ext=tar.gz
    [ "$fmt" = zip ] && ext=zip
    hd=$w/unpack/$n
    mkdir -p "$hd"
    cp "$w/arch/$n.$ext" "$hd/collect.$ext"
    python3 "$unpack" --format "$fmt" --max-bytes 4096 --max-files 12 --host "$n" "$hd/collect.$ext" "$hd" >"$hd/out" 2>&1
    rc=$?
    check "unpack $n: exit $want (got $rc)" [ "$rc" = "$want" ]
    [ "$rc" = "$want" ] || cat "$hd/out"
    if [ "$want" = 3 ]; then
        check "unpack $n: refused for $why" grep -qF "$why" "$hd/COLLECT-REFUSED.txt"
        check "unpack $n: nothing unpacked, the archive kept" [ "$(ls -A "$hd" | sort | tr '\n' ' ')" = "COLLECT-REFUSED.txt collect-refused.$ext out " ]
    fi
}
unpack_case good tar 0
check "unpack good: the file unpacked below collect/" [ "$(cat "$w/unpack/good/collect/a/x.aspx.quarantine")" = "web shell" ]
check "unpack good: the archive removed, no record" [ "$(ls -A "$w/unpack/good" | sort | tr '\n' ' ')" = "collect out " ]
unpack_case mismatch tar 4
check "unpack mismatch: the changed file recorded" grep -q '"a/x.aspx.quarantine": SHA-256 is not the manifest' "$w/unpack/mismatch/COLLECT-MISMATCH.txt"
check "unpack mismatch: the unlisted file recorded" grep -q '"extra": not in the manifest' "$w/unpack/mismatch/COLLECT-MISMATCH.txt"
unpack_case dotdot tar 3 "a '..' part"
unpack_case absolute tar 3 "an absolute path"
unpack_case outside tar 3 '"exhunt.jsonl": not below collect/'
unpack_case symlink tar 3 'a link (to "/etc/passwd")'
unpack_case hardlink tar 3 'a link (to "/etc/passwd")'
unpack_case device tar 3 "not a regular file or folder"
unpack_case fifo tar 3 "not a regular file or folder"
unpack_case twice tar 3 "named twice"
unpack_case big tar 3 "exhunt_collect_max_bytes"
unpack_case many tar 3 "exhunt_collect_max_files"
unpack_case notgz tar 3 "not a readable tar.gz"
unpack_case zgood zip 0
check "unpack zgood: the file unpacked below collect/" [ "$(cat "$w/unpack/zgood/collect/a/x.aspx.quarantine")" = "web shell" ]
unpack_case zdrive zip 3 "a drive letter"
unpack_case zbackslash zip 3 "a backslash"
unpack_case zsymlink zip 3 "a link or special file"
unpack_case zdotdot zip 3 "a '..' part"
check "no hostile archive wrote outside its folder" [ -z "$(find "$w/unpack" -name evil)" ] && [ ! -f "$w/evil" ] && [ ! -e /tmp/exh-ansible-evil ]

# 4. lint and syntax: the whole role (Windows and Linux branches) and the
# Windows play over the example inventory (WinRM hosts)
(cd "$top/contrib/ansible" && ansible-lint --offline --profile production -p exhunt.yml roles/exhunt >"$w/lint.log" 2>&1)
rc=$?
check "ansible-lint passes, production profile (exit $rc)" [ "$rc" = 0 ]
[ "$rc" = 0 ] || head -30 "$w/lint.log"
inv=$top/contrib/ansible/inventory.example.ini
check "--syntax-check over the example inventory" ansible-playbook -i "$inv" --syntax-check "$pb" >/dev/null 2>&1
ansible-playbook -i "$inv" --list-tasks "$pb" >"$w/tasks.log" 2>&1
check "--list-tasks: the Windows play has its WinRM tasks" grep -q 'play #1 (exhunt_windows): Scan the Windows Exchange servers' "$w/tasks.log"
check "--list-tasks: the Windows scan task" grep -q 'exhunt : Pack the collected evidence (a zip' "$w/tasks.log"

echo "ansible: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
