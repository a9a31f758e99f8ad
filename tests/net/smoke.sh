#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Smoke: every feature once, on whichever kernel the VM boots. tests/run
# runs the whole suite on one kernel and this on the others (6.12 generic,
# cloud and rt), so each of them has every part of silk loaded, used and
# unloaded with a clean kernel log (on rt, the socket events deferred):
#  - a UDP and a TCP path deliver, IPv4 and IPv6 (the hook, the workers,
#    re-injection);
#  - a connection path opens for an established connection and closes
#    with it (the socket state tracepoint);
#  - a server blocked in accept() on a mirrored path is mirrored, and
#    restored when the path stops mirroring (the accept probe);
#  - sensors count an accepted connection (netmeter);
#  - a socket group's port accepts through its gate;
#  - a tcpchains rule forwards a connection to another server.
#
# vm: shares the machine (no check depends on timing: tests/run runs it
# beside another VM)
source "$(dirname "$0")/../lib.sh"
plan 26

TC=$ROOT/tools/tcpchains
sc() { srv "$SILKCTL" "$@"; }
get() { cli curl -s --max-time $((10 * SLOW)) "$@"; }

log "kernel $(uname -r) ($(uname -v | grep -o 'PREEMPT[_A-Z]*' | head -n1))"
silk_load || { fail "silk loads"; finish; }
setup_pair

# UDP and TCP through paths.
srv python3 "$HELPERS/udp.py" sink 0.0.0.0 5000 --idle 100000 >"$TMP/sink.json" &
listening 5000 udp
nginx_start -s '
	server {
		listen 8080; listen [::]:8080;
		location / { return 200 "i8080\n"; }
	}
	server {
		listen 8081; listen [::]:8081;
		location / { return 200 "i8081\n"; }
	}'
listening 8081
check "path add udp port 5000" sc path add udp port 5000
check "path add tcp port 8080 conns on" sc path add tcp port 8080 conns on prio 3
cli python3 "$HELPERS/udp.py" send 10.0.0.2 5000 --count 20 --rate 50 >/dev/null
pu=$(path_id srv 5000)
poll 10 eval '[ "$(path_stat srv "$pu" delivered_pkts)" -gt 0 ]'
check_cond "the UDP path delivered ($(path_stat srv "$pu" delivered_pkts) of 20)" \
	"$(path_stat srv "$pu" delivered_pkts)" -gt 0
b=$(get http://10.0.0.2:8080/)
check_cond "HTTP over IPv4 through the TCP path ($b)" "$b" = i8080
b=$(get -g 'http://[fd00::2]:8080/')
check_cond "HTTP over IPv6 through the TCP path ($b)" "$b" = i8080
pt=$(path_id srv 8080)
check_cond "the TCP path delivered" "$(path_stat srv "$pt" delivered_pkts)" -gt 0

# Connection paths: one while a connection is established, none after.
cli python3 -c '
import socket, time
s = socket.create_connection(("10.0.0.2", 8080))
time.sleep(60)  # smoke-holder' &
holder=$!
check "a connection path while a connection is open" \
	poll 10 eval '[ "$(sc -j conn show | jq length)" -ge 1 ]'
pkill -f smoke-holder
wait "$holder" 2>/dev/null
check "and none once it is closed" poll 20 eval '[ "$(sc -j conn show | jq length)" = 0 ]'
check_cond "stats: a connection opened" "$(sc -j stats | jq .conns_opened)" -ge 1

# Mirroring: a server that blocks in accept() on a mirrored path (the
# accept probe sees accept() calls made after it is attached).
check "path add tcp port 8090 prio 7 mirror on" sc path add tcp port 8090 prio 7 mirror on
srv python3 -c '
import socket
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", 8090))
s.listen(8)
while True:
    c, _ = s.accept()
    c.sendall(b"HTTP/1.0 200 OK\r\n\r\ni8090\n")
    c.close()' 2>"$TMP/acceptor.err" &
listening 8090 || sed 's/^/#   /' "$TMP/acceptor.err"
check "its server, blocked in accept(), is mirrored" \
	poll 10 eval '[ "$(sc -j stats | jq .mirror_tasks)" = 1 ]'
acc=$(pgrep -f 'bind\(\("0.0.0.0", 8090\)\)' | head -n1)
# policy: "POLICY PRIO " of the server (mirroring adds reset-on-fork).
policy() {
	chrt -p "$acc" | sed -n 's/.*policy: \([A-Z_]*\).*/\1/p;s/.*priority: \(.*\)/\1/p' |
		tr '\n' ' '
}
check_cond "it runs SCHED_FIFO 8 (prio 7 above mirror_rt_base 1): $(policy)" \
	"$(policy)" = "SCHED_FIFO 8 "
b=$(get http://10.0.0.2:8090/)
check_cond "it serves ($b)" "$b" = i8090
check "mirror off" sc path change tcp port 8090 mirror off
check "and it is restored to SCHED_OTHER" poll 10 eval '[ "$(policy)" = "SCHED_OTHER 0 " ]'

# Sensors.
check "meter on" sc meter on
get http://10.0.0.2:8081/ >/dev/null
check "sensors count the accepted connection" \
	poll 10 eval '[ "$(srv "$NETMETER" -j -p 8081 ports | jq ".ports[0].accepted")" -ge 1 ]'

# A socket group's gate.
check "group add smoke rate 100 port 8081" sc group add smoke rate 100 port 8081
b=$(get http://10.0.0.2:8081/)
check_cond "a connection through the group's port ($b)" "$b" = i8081
check_cond "the group counted it" \
	"$(sc -j group show smoke | jq '.[0].ports[] | select(.port == 8081) | .accepted')" -ge 1
check "group del smoke" sc group del smoke

# tcpchains: port 80 forwarded to 8081.
check "tcpchains -A a -p 80 -o 8081" srv "$TC" -A a -p 80 -o 8081
b=$(get http://10.0.0.2/)
check_cond "a connection to 80 reaches 8081 ($b)" "$b" = i8081
finish
