#!/bin/bash
# run.sh EXHUNT: contrib/ansible run for real. An inventory of seven hosts on
# this machine (group exhunt_linux; ansible_connection=local), each with its
# own evidence and remote folder: the three examples, a generated server
# (bench/gen_tree.py), one whose evidence path does not exist, one whose
# pinned SHA-256 is wrong, and (with an ssh client) one unreachable over ssh.
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
for hv in exch01:COMPROMISED exch02:EXPOSED exch03:CLEAN exch04:COMPROMISED; do
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
    tail -n 1 "$r/fleet.jsonl" | grep -q '"verdicts":{"COMPROMISED":2,"TARGETED":0,"EXPOSED":1,"INCOMPLETE":0,"CLEAN":1},"hosts":4,"actors":[0-9]*,"dropped":0,"errors":0' &&
        [ "$(grep -c '^{"type":"host"' "$r/fleet.jsonl")" = 4 ] &&
        for h in exch01 exch02 exch03 exch04; do grep -q "\"host\":{\"name\":\"$h\"}" "$r/fleet.jsonl" || return 1; done &&
        grep -q '^fleet verdict: COMPROMISED (exit 1)' "$r/fleet.txt" &&
        grep -q 'exch04' "$r/fleet.html"
}
check "the fleet report: 4 hosts, 2 compromised, 1 exposed, 1 clean" fleet_ok
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
check "rerun: one result per host" [ "$(find "$r" -name 'exhunt.jsonl*' | wc -l)" = 5 ]
check "rerun: exch05 has its result" summary EXPOSED "$r/exch05/exhunt.jsonl"
check "rerun: exch05's FAILED.txt is gone" [ ! -e "$r/exch05/FAILED.txt" ]
check "rerun: exch06 still failed" grep -q "SHA-256 is not exhunt_sha256" "$r/exch06/FAILED.txt"
check "rerun: 5 hosts in the fleet, none dropped" grep -q '"verdicts":{"COMPROMISED":2,"TARGETED":0,"EXPOSED":2,"INCOMPLETE":0,"CLEAN":1},"hosts":5,"actors":[0-9]*,"dropped":0,"errors":0' "$r/fleet.jsonl"
check "rerun: the same host records for the others" cmp -s <(grep '^{"type":"host"' "$w/fleet1.jsonl" | sed 's/"scan_time":"[^"]*"//') \
    <(grep '^{"type":"host"' "$r/fleet.jsonl" | grep -v '"name":"exch05"' | sed 's/"scan_time":"[^"]*"//')
# (exch07, not rerun, keeps its FAILED.txt of the first run)
if [ -n "$unreachable" ]; then failed="2 host(s) failed: exch06, exch07"; else failed="1 host(s) failed: exch06"; fi
check "rerun: the failed hosts listed at the end" grep -q "$failed" "$w/run2.log"

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
