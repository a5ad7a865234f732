# 8. source.ip is the nearest address the client cannot choose: a client-set
#    X-Forwarded-For entry never turns an outside attempt into an inside one,
#    and a balancer that hides its clients is named and not taken as inside.
src_of_attempt() { grep '"EXH-PS-001"' "$OUT" | grep -o '"source":{"ip":"[^"]*"' | head -n 1 | cut -d'"' -f6; }
is_src()  { [ "$(src_of_attempt)" = "$1" ]; }

D=$(newdir fwd-spoof); gen forwarded "$D" spoof 100
scan fwd-spoof -f jsonl "$D"
check "spoofed first entry: the attempt is from 203.0.113.11 (got $(src_of_attempt))" is_src 203.0.113.11
check "spoofed first entry: the whole chain is in network.forwarded_ip" \
    has_finding EXH-PS-001 '"network":{"forwarded_ip":["10.0.0.1","203.0.113.11","10.10.0.5"]}'
check "spoofed first entry: verdict TARGETED"            is_verdict TARGETED
scan fwd-spoof-text --color never "$D"
check "spoofed first entry: the text report shows the path" grep -qF 'via   10.0.0.1,203.0.113.11,10.10.0.5' "$OUT"

D=$(newdir fwd-direct); gen forwarded "$D" direct 100
scan fwd-direct -f jsonl "$D"
check "direct client claiming 10.0.0.1: source is its connection (got $(src_of_attempt))" is_src 203.0.113.11
check "direct client claiming 10.0.0.1: verdict TARGETED" is_verdict TARGETED

D=$(newdir fwd-hidden); gen forwarded "$D" hidden 200
scan fwd-hidden -f jsonl "$D"
check "balancer without header: verdict TARGETED, not CLEAN" is_verdict TARGETED
check "balancer without header: the summary names it" \
    sh -c 'tail -n 1 "$1" | grep -qF "\"proxies\":{\"ip\":[\"10.10.0.5\"],\"requests\":201,\"of\":201}"' _ "$OUT"
check "balancer without header: its actor is marked as a proxy" \
    sh -c 'tail -n 1 "$1" | grep -qF "\"ip\":\"10.10.0.5\",\"internal\":true,\"proxy\":true"' _ "$OUT"
scan fwd-hidden-text --color never "$D"
check "balancer without header: the text summary says so" grep -q '^proxies   10.10.0.5 carried 201 of the 201' "$OUT"

D=$(newdir fwd-admin); gen forwarded "$D" admin 200
scan fwd-admin -f jsonl "$D"
check "an admin's test from 10.1.1.1 among outside clients: verdict CLEAN" is_verdict CLEAN
check "an admin's test: no proxy is named" sh -c '! tail -n 1 "$1" | grep -qF "\"proxies\""' _ "$OUT"

D=$(newdir fwd-public); gen forwarded "$D" public 100
scan fwd-public -f jsonl "$D"
check "public reverse proxy, not trusted: the attempt is from the proxy (got $(src_of_attempt))" is_src 198.51.100.2
scan fwd-public-trusted -f jsonl --trusted-proxy 198.51.100.0/24,192.0.2.1 "$D"
check "public reverse proxy given with --trusted-proxy: the attempt is from 203.0.113.11 (got $(src_of_attempt))" is_src 203.0.113.11
scan fwd-bad-range -f jsonl --trusted-proxy 198.51.100.0/33 "$D"
check "--trusted-proxy with a bad range: usage error (exit 2)" [ "$RC" -eq 2 ]

D=$(newdir fwd-hidespoof); gen forwarded "$D" hidespoof 200
scan fwd-hidespoof -f jsonl "$D"
check "balancer passing the attacker's own 'X-Forwarded-For: 10.0.0.1' on: verdict TARGETED, not CLEAN" is_verdict TARGETED

D=$(newdir fwd-noconn); gen forwarded "$D" noconn 100
scan fwd-noconn -f jsonl "$D"
check "no c-ip column, the attacker's header says 10.0.0.1: verdict TARGETED, not CLEAN" is_verdict TARGETED
