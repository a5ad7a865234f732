#!/bin/sh
# run.sh EXHUNT: the Velociraptor artifacts of contrib/velociraptor, checked
# without Velociraptor (none runs here): their structure, the VQL, the hash
# `make dist` pins, and the exhunt command lines they build, run with EXHUNT
# (the Linux build in place of exhunt.exe, examples/compromised in place of
# live mode). See check.py. Ends with `velociraptor: N passed, N failed`.
set -u
bin=$1
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
here=$(cd "$(dirname "$0")" && pwd)
if ! python3 -c 'import yaml' 2>/dev/null; then
    echo "not ok - python3 cannot import yaml (Debian: apt-get install python3-yaml)"
    echo "velociraptor: 0 passed, 1 failed"
    exit 1
fi
exec python3 "$here/check.py" "$bin"
