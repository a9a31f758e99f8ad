#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tcpchains: connection forwarding to per-class server instances (nginx on
# 1021, 2021, 8080, 8081, 8082; each answers "i<its port> <the port the
# client connected to>").
#  - the paper's commands, verbatim;
#  - address rules by client prefix, IPv4 and IPv6, decided at the SYN;
#  - content rules by Host header (curl, wrk), IPv4 and IPv6, and the
#    default when the client sends nothing before the timeout;
#  - probabilistic 30/70 over 2000 connections, and a weight changed while
#    connections flow;
#  - chains (address -> probabilistic, address -> content), a loop refused;
#  - targets that do not listen: the default, else a reset;
#  - bad commands refused with a message and nothing changed; batches are
#    one transaction; an unprivileged user is refused;
#  - 10,000 connections handed over leave no socket or request behind.
source "$(dirname "$0")/../lib.sh"
plan 90
TC=$ROOT/tools/tcpchains

silk_load || { fail "silk loads"; finish; }
setup_pair
ip -n cli addr add 10.0.0.3/24 dev va
ip -n cli addr add fd00::3/64 dev va nodad
modprobe ts_kmp 2>/dev/null
modprobe ts_bm 2>/dev/null

servers=""
for p in 1021 2021 8080 8081 8082; do
	servers="$servers
	server {
		listen $p backlog=4096;
		listen [::]:$p backlog=4096;
		location / { return 200 \"i$p \$server_port\\n\"; }
	}"
done
nginx_start -w 2 -c 4096 -s "$servers"
listening 8082

# Objects of a slab cache in use, its per-CPU caches flushed first.
slab() {
	echo 1 >"/sys/kernel/slab/$1/shrink" 2>/dev/null
	awk '{print $1}' "/sys/kernel/slab/$1/objects"
}
req0=$(slab request_sock_TCP)
tcp0=$(slab TCP)

tc() { srv "$TC" "$@"; }
# get [curl args] URL: the body, one line.
get() { cli curl -s --max-time 5 "$@"; }
state() { config_state srv; }

# The paper's commands, verbatim.
check "paper: -A a -p 21 -o 1021" tc -A a -p 21 -o 1021
check "paper: -a a -p 21 -i 128.143.0.0 -m 255.255.0.0 -r 2021" \
	tc -a a -p 21 -i 128.143.0.0 -m 255.255.0.0 -r 2021
check "paper: -a a -p 21 -i 128.141.0.0 -m 255.255.0.0 -r 2021" \
	tc -a a -p 21 -i 128.141.0.0 -m 255.255.0.0 -r 2021
check "paper: -A c -p 80 -o 8080" tc -A c -p 80 -o 8080
check "paper: -a c -p 80 -s www.foo.com -r 8081" tc -a c -p 80 -s www.foo.com -r 8081
check "paper: -a c -p 80 -s www.bar.com -r 8082" tc -a c -p 80 -s www.bar.com -r 8082
check "paper: -A d -p 90 -o 8080" tc -A d -p 90 -o 8080
check "paper: -a d -p 90 -r 8081 -c 3000" tc -a d -p 90 -r 8081 -c 3000
tc -L | sed 's/^/#   /'

# Address rules, decided at the SYN.
check "address v4: a prefix the client is in (10.0.0.3/32) goes to 2021" \
	tc -a a -p 21 -i 10.0.0.3 -m 255.255.255.255 -r 2021
check "address v6: fd00::3/128 goes to 2021" tc -a a -p 21 -i fd00::3/128 -r 2021
b=$(get --interface 10.0.0.3 http://10.0.0.2:21/)
check_cond "address v4: 10.0.0.3 reaches 2021, still talking to port 21 ($b)" "$b" = "i2021 21"
b=$(get --interface 10.0.0.1 http://10.0.0.2:21/)
check_cond "address v4: 10.0.0.1 gets the default 1021 ($b)" "$b" = "i1021 21"
b=$(get -g --interface fd00::3 'http://[fd00::2]:21/')
check_cond "address v6: fd00::3 reaches 2021 ($b)" "$b" = "i2021 21"
b=$(get -g --interface fd00::1 'http://[fd00::2]:21/')
check_cond "address v6: fd00::1 gets the default 1021 ($b)" "$b" = "i1021 21"
port=$(cli curl -s -o /dev/null -w '%{remote_port}' http://10.0.0.2:21/)
check_cond "the client sees the port it connected to ($port)" "$port" = 21
hits=$(tc -j -L | jq '.[] | select(.port == 21) | .conditions[2].hits')
check_cond "condition hits are counted (10.0.0.3/32: $hits)" "$hits" -ge 1

# Content rules: the kernel listener on 80 hands the connection over.
b=$(get -H 'Host: www.foo.com' http://10.0.0.2/)
check_cond "content: Host www.foo.com goes to 8081 ($b)" "$b" = "i8081 80"
b=$(get -H 'Host: www.bar.com' http://10.0.0.2/)
check_cond "content: Host www.bar.com goes to 8082 ($b)" "$b" = "i8082 80"
b=$(get -H 'Host: www.baz.com' http://10.0.0.2/)
check_cond "content: no match goes to the default 8080 ($b)" "$b" = "i8080 80"
b=$(get -g -H 'Host: www.bar.com' 'http://[fd00::2]/')
check_cond "content v6: Host www.bar.com goes to 8082 ($b)" "$b" = "i8082 80"
cli wrk -t 1 -c 8 -d 3 -H 'Host: www.foo.com' http://10.0.0.2/ >"$TMP/wrk.txt" 2>&1
req=$(awk '/requests in/ {print $1}' "$TMP/wrk.txt")
check_cond "content: wrk through the rule, no errors ($req requests)" \
	"$(grep -c 'Non-2xx\|Socket errors' "$TMP/wrk.txt")" = 0 -a "${req:-0}" -gt 0
foo=$(tc -j -L | jq '.[] | select(.port == 80) | .conditions[0].hits')
check_cond "content: wrk's connections counted on www.foo.com ($foo)" "$foo" -ge 9
# Silence until the timeout, then a request: the default.
check "content: -R sets a 300 ms timeout" tc -R c -p 80 -o 8080 -T 300
b=$(cli python3 - <<'EOF'
import socket, time
s = socket.create_connection(("10.0.0.2", 80))
time.sleep(1.0)
s.sendall(b"GET / HTTP/1.0\r\nHost: www.foo.com\r\n\r\n")
print(s.makefile().read().rstrip("\n").split("\n")[-1])
EOF
)
check_cond "content: a client silent past the timeout gets the default ($b)" "$b" = "i8080 80"
t=$(tc -j -L | jq '.[] | select(.port == 80) | .timeouts')
check_cond "content: the timeout is counted ($t)" "$t" = 1

# Probabilistic: 2000 connections, then a new weight while they flow.
share() { # PORT N: fraction of N connections answered by 8081
	cli python3 - "$1" "$2" <<'EOF'
import socket, sys
port, n = int(sys.argv[1]), int(sys.argv[2])
hit = bad = 0
for _ in range(n):
    try:
        s = socket.create_connection(("10.0.0.2", port), timeout=5)
        s.sendall(b"GET / HTTP/1.0\r\n\r\n")
        body = s.makefile().read().rstrip("\n").split("\n")[-1]
        s.close()
    except OSError:
        bad += 1
        continue
    hit += body.startswith("i8081")
print("%.4f %d" % (hit / n, bad))
EOF
}
read -r f bad <<<"$(share 90 2000)"
check_cond "probabilistic: 30% to 8081 within 3 points over 2000 ($f, $bad failed)" \
	"$(echo "$f" | awk '{print ($1 >= 0.27 && $1 <= 0.33)}')" = 1 -a "$bad" = 0
share 90 600 >"$TMP/live.txt" &
live=$!
sleep 1
check "probabilistic: weight 3000 -> 7000 while connections flow" \
	tc -a d -p 90 -r 8081 -c 7000
wait "$live"
read -r f bad <"$TMP/live.txt"
check_cond "probabilistic: no connection lost across the change ($bad)" "$bad" = 0
read -r f bad <<<"$(share 90 2000)"
check_cond "probabilistic: then 70% to 8081 within 3 points over 2000 ($f)" \
	"$(echo "$f" | awk '{print ($1 >= 0.67 && $1 <= 0.73)}')" = 1

# SYN cookies for every SYN: the ACK, which has no request socket, must
# reach the listener that answered the SYN.
srv sysctl -qw net.ipv4.tcp_syncookies=2
b=$(get --interface 10.0.0.3 http://10.0.0.2:21/)
check_cond "SYN cookies: an address rule still reaches 2021 ($b)" "$b" = "i2021 21"
read -r f bad <<<"$(share 90 300)"
check_cond "SYN cookies: probabilistic connections all complete ($bad failed, $f to 8081)" \
	"$bad" = 0 -a "$(echo "$f" | awk '{print ($1 > 0.55 && $1 < 0.85)}')" = 1
srv sysctl -qw net.ipv4.tcp_syncookies=1

# Chains.
tc -A a -p 100 -o 110
tc -a a -p 100 -i 10.0.0.3/32 -r 8081
tc -A d -p 110 -o 8082
b=$(get --interface 10.0.0.1 http://10.0.0.2:100/)
check_cond "chain: 100 -> 110 -> 8082 for 10.0.0.1 ($b)" "$b" = "i8082 100"
b=$(get --interface 10.0.0.3 http://10.0.0.2:100/)
check_cond "chain: 100 -> 8081 for 10.0.0.3 ($b)" "$b" = "i8081 100"
tc -A a -p 120 -o 80
b=$(get -H 'Host: www.bar.com' http://10.0.0.2:120/)
check_cond "chain: address 120 -> content 80 -> 8082 ($b)" "$b" = "i8082 120"
before=$(state)
tc -A a -p 130 -o 100
check_refused "a loop 110 -> 130 -> 100 -> 110" "in a loop" tc -R d -p 110 -o 130
tc -D -p 130
check_cond "the refused loop changed nothing" "$(state)" = "$before"

# Targets that do not listen.
tc -A a -p 140 -o 9999
get http://10.0.0.2:140/ >/dev/null
rc=$?
check_cond "no listener on the target or the default: refused, not hung (curl $rc)" "$rc" = 7
tc -A a -p 141 -o 8080
tc -a a -p 141 -i 10.0.0.0/24 -r 9999
b=$(get http://10.0.0.2:141/)
check_cond "address: dead target falls back to the default ($b)" "$b" = "i8080 141"
tc -A c -p 150 -o 8080
tc -a c -p 150 -s dead -r 9999
b=$(get -H 'Host: dead' http://10.0.0.2:150/)
check_cond "content: dead target falls back to the default ($b)" "$b" = "i8080 150"
tc -A c -p 151 -o 9998
get -H 'Host: x' http://10.0.0.2:151/ >/dev/null
rc=$?
r=$(tc -j -L | jq '.[] | select(.port == 151) | .resets')
check_cond "content: nobody to take it: reset (curl $rc, resets $r)" "$rc" != 0 -a "$r" = 1

# Bad commands: a message each, nothing changed.
before=$(state)
bad() { local desc=$1 reason=$2; shift 2; check_refused "$desc" "$reason" tc "$@"; }
bad "unknown type" 'invalid type "x"' -A x -p 200 -o 1
bad "port 0" 'invalid port "0"' -A a -p 0 -o 1
bad "port 65536" 'invalid port "65536"' -A a -p 200 -o 65536
bad "a rule without -o" "default outgoing port" -A a -p 200
bad "a second rule on a port" "already has a rule" -A a -p 21 -o 1022
bad "-R changing a rule's type" "keeps its type" -R d -p 21 -o 1021
bad "a condition without a rule" "no rule on this port" -a a -p 201 -i 10.0.0.1 -r 8080
bad "a condition of another type" "differs from the rule's|does not fit" -a c -p 21 -s foo -r 8080
bad "an address condition with a string" "an address condition needs -i" \
	-a a -p 21 -s foo -r 8080
bad "a non-contiguous mask" "not contiguous" -a a -p 21 -i 10.0.0.0 -m 255.0.255.0 -r 8080
bad "a v4 prefix longer than 32" "at most 32|invalid (mask|address)" \
	-a a -p 21 -i 10.0.0.0/33 -r 8080
bad "a bad address" 'invalid address "10.0.0.300"' -a a -p 21 -i 10.0.0.300 -r 8080
bad "weights over 10000" "add up to more than 10000" -a d -p 90 -r 8082 -c 3001
bad "a weight over 10000" 'invalid weight "10001"' -a d -p 90 -r 8082 -c 10001
bad "a string over 255 bytes" "string longer than" \
	-a c -p 80 -s "$(head -c 300 /dev/zero | tr '\0' x)" -r 8081
bad "a content rule on a port nginx listens on" "must be free" -A c -p 8080 -o 8081
bad "a byte limit of 0" 'invalid byte limit "0"' -A c -p 202 -o 8080 -B 0
bad "content options on an address rule" "only a content rule has" -A a -p 202 -o 8080 -T 5
bad "deleting condition 99" "no condition with this number" -D -p 21 -x 99
bad "deleting a rule that is not there" "no rule on this port" -D -p 203
bad "two commands at once" "one command at a time" -A a -p 204 -o 1 -F
check_cond "the refused commands changed nothing" "$(state)" = "$before"
# Raw netlink: the policy speaks for itself.
check_nl_refused "a weight of 20000 (policy)" "" srv COND_NEW CHAIN_A_TYPE=u8:2 \
	CHAIN_A_PORT=u16:90 'CHAIN_A_COND={COND_A_OUT=u16:8082,COND_A_WEIGHT=u16:20000}'
check_nl_refused "an unknown rule type" "" srv CHAIN_NEW CHAIN_A_TYPE=u8:7 CHAIN_A_PORT=u16:205 \
	CHAIN_A_OUT=u16:1
check_nl_refused "a batch without operations" "needs its operations" srv CHAIN_BATCH
check_nl_refused "a rule's port beside a batch's operations" "Unsupported attribute" srv \
	CHAIN_BATCH CHAIN_A_PORT=u16:1 \
	'CHAIN_A_OPS={1={CHAIN_A_CMD=cmd:CHAIN_NEW,CHAIN_A_TYPE=u8:0,CHAIN_A_PORT=u16:206,CHAIN_A_OUT=u16:207}}'
check_nl_refused "a condition inside a batch's new rule" "Unsupported attribute" srv \
	CHAIN_BATCH \
	'CHAIN_A_OPS={1={CHAIN_A_CMD=cmd:CHAIN_NEW,CHAIN_A_TYPE=u8:0,CHAIN_A_PORT=u16:206,CHAIN_A_OUT=u16:207,CHAIN_A_COND={COND_A_OUT=u16:208}}}'
check_cond "raw netlink changed nothing" "$(state)" = "$before"

# Batches: one transaction.
cat >"$TMP/good.tc" <<'EOF'
# a batch
-A a -p 300 -o 8080
tcpchains -a a -p 300 -i 10.0.0.3/32 -r 8081
-A c -p 301 -o 8080
-a c -p 301 -s "Host: www.foo.com\r\n" -r 8082
EOF
check "batch: four commands in one transaction" tc -b "$TMP/good.tc"
b=$(get -H 'Host: www.foo.com' http://10.0.0.2:301/)
check_cond "batch: its content rule works, with an escaped string ($b)" "$b" = "i8082 301"
before=$(state)
cat >"$TMP/bad.tc" <<'EOF'
-A a -p 310 -o 8080
-A a -p 311 -o 8080
-a a -p 312 -i 10.0.0.3 -r 8081
-A a -p 313 -o 8080
EOF
check_refused "batch: a failing line fails the batch, named" "bad.tc:3:" tc -b "$TMP/bad.tc"
check_cond "batch: nothing of a failed batch is applied" "$(state)" = "$before"
tc -L >"$TMP/saved.tc"
tc -F
check_cond "-F flushes every rule" "$(tc -j -L | jq length)" = 0
check "-L output is a batch that restores the rules" tc -b "$TMP/saved.tc"
check_cond "the restored rules are the same" "$(state)" = "$before"

# Permissions.
check_refused "an unprivileged user adding a rule" "not permitted" \
	srv setpriv --reuid=65534 --regid=65534 --clear-groups "$TC" -A a -p 400 -o 8080
check "an unprivileged user can list the rules" \
	srv setpriv --reuid=65534 --regid=65534 --clear-groups "$TC" -L

# 10,000 connections handed over by the content rule on 80, then nothing
# left from them or from everything before: no request or connection of
# silk's listener, no pending one, the slab counts of the start.
total=0
for _ in $(seq 10); do
	n=$(cli wrk -t 1 -c 16 -d 5 -H "Connection: close" -H 'Host: www.bar.com' \
		http://10.0.0.2/ | awk '/requests in/ {print $1}')
	total=$((total + ${n:-0}))
	[ "$total" -ge $((10000 / SLOW)) ] && break
done
check_cond "at least $((10000 / SLOW)) connections through the content rule ($total)" \
	"$total" -ge $((10000 / SLOW))
sleep 2
p=$(tc -j -L | jq '.[] | select(.port == 80) | .pending')
check_cond "none left waiting in silk ($p)" "$p" = 0
n=$(srv ss -tanH state established '( sport = :80 )' | wc -l)
check_cond "no connection on port 80 left established ($n)" "$n" = 0
n=$(srv ss -tanH state syn-recv | wc -l)
check_cond "no request left ($n)" "$n" = 0
tc -F
check_cond "flush leaves no silk listener on 80" "$(srv ss -ltnH '( sport = :80 )' | wc -l)" = 0
poll 3 eval '[ "$(slab request_sock_TCP)" -le $((req0 + 2)) ] && [ "$(slab TCP)" -le $((tcp0 + 2)) ]'
req1=$(slab request_sock_TCP)
tcp1=$(slab TCP)
if kasan && [ "$tcp1" -gt $((tcp0 + 2)) ]; then
	skip "TCP sockets back where they were at the start ($tcp0 -> $tcp1)" \
		"freed ones wait in KASAN's quarantine, still counted in use"
else
	check_cond "TCP sockets back where they were at the start ($tcp0 -> $tcp1)" \
		"$tcp1" -le $((tcp0 + 2))
fi
check_cond "request sockets back where they were at the start ($req0 -> $req1)" \
	"$req1" -le $((req0 + 2))
# Churn under load: rules flushed and re-added every 0.2 s and a target
# that keeps restarting, while wrk goes through the content rule and
# silent clients wait in silk. Connections may be refused or reset, but
# none may hang (wrk's timeouts), and the kernel log stays clean.
tc -A c -p 80 -o 8080 -T 50
tc -a c -p 80 -s foo -r 8081
(
	for _ in $(seq 30); do
		timeout 0.3 ip netns exec srv python3 -c '
import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("", 8091)); s.listen(64)
while True:
    c, _ = s.accept()
    c.recv(100)
    c.sendall(b"HTTP/1.0 200 OK\r\n\r\nx")
    c.close()' 2>/dev/null
	done
) &
flap=$!
(
	for _ in $(seq 25); do
		ip netns exec srv "$TC" -F
		ip netns exec srv "$TC" -A c -p 80 -o 8080 -T 50
		ip netns exec srv "$TC" -a c -p 80 -s foo -r 8091
		ip netns exec srv "$TC" -A a -p 81 -o 8091
		sleep 0.2
	done
) &
churn=$!
ip netns exec cli python3 -c '
import socket, time
ss = []
for i in range(150):
    try:
        ss.append(socket.create_connection(("10.0.0.2", 80), timeout=1))
    except OSError:
        pass
    time.sleep(0.02)
time.sleep(1)' &
silent=$!
# wrk gives up when its first connection is refused, as it is while the
# rules are flushed (on a slow kernel that window is wide): start it again.
for _ in 1 2 3 4 5; do
	cli wrk -t 1 -c 32 -d 6 -H "Connection: close" -H "Host: foo" \
		http://10.0.0.2/ >"$TMP/churn.txt" 2>&1
	grep -q 'requests in' "$TMP/churn.txt" && break
	sed 's/^/# wrk: /' "$TMP/churn.txt" | head -n 3
done
wait "$churn" "$silent"
kill "$flap" 2>/dev/null
wait "$flap" 2>/dev/null
req=$(awk '/requests in/ {print $1}' "$TMP/churn.txt")
to=$(sed -n 's/.*timeout \([0-9]*\).*/\1/p' "$TMP/churn.txt")
check_cond "churn: $req requests through rules flushed 25 times, none hung (timeouts ${to:-0})" \
	"${req:-0}" -gt 0 -a "${to:-0}" = 0
tc -F

# A namespace deleted with rules, a silent connection waiting in silk's
# listener and a forwarded one open: it goes cleanly (and silk unloads
# cleanly below, with a clean kernel log).
add_peer tc3 vd 10.3.0.2/24 cli vc 10.3.0.1/24
ip netns exec tc3 "$TC" -A c -p 80 -o 8080 -T 10000
ip netns exec tc3 "$TC" -A a -p 81 -o 8080
ip netns exec tc3 python3 -c '
import socket, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("", 8080)); s.listen(16)
c = s.accept()[0]
time.sleep(30)' &
srv3=$!
listening 8080 tcp tc3
ip netns exec cli python3 -c '
import socket, time
a = socket.create_connection(("10.3.0.2", 81))
b = socket.create_connection(("10.3.0.2", 80))
time.sleep(30)' &
cli3=$!
pending80() { ip netns exec tc3 "$TC" -j -L | jq '.[] | select(.port == 80) | .pending'; }
poll 10 eval '[ "$(pending80)" = 1 ]'
n=$(pending80)
check_cond "the silent connection waits in silk ($n)" "$n" = 1
# Its tasks killed, the namespace is torn down (silk's part first).
check "a namespace with rules and connections in flight is deleted and torn down" \
	netns_del tc3
kill "$srv3" "$cli3" 2>/dev/null
kill %1 2>/dev/null
finish
