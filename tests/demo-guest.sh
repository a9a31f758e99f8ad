#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The demo, inside the VM: two namespaces joined by veth, silk in the
# server's, TCP bulk data through one path, and a small UDP flow that keeps
# its rate through a second path while a third path is flooded and the
# worker's CPU is contended; then tcpchains sends HTTP connections to the
# nginx instance of their Host, and an accept-rate group holds the basic
# instance to 20 connections/s while the sensors show the wait.
source "$(dirname "$0")/lib.sh"
say() { printf '\n== %s\n' "$*"; }
run() { echo "\$ $*"; "$@"; }

say "load silk into the stock kernel ($(uname -r))"
silk_load && lsmod | grep -E '^silk '
setup_pair
S="ip netns exec srv"

say "paths in the server's namespace"
run $S "$SILKCTL" path add tcp port 5201 prio 5 name bulk
run $S "$SILKCTL" path add udp port 6001 prio 10 cpu 1 name voice
run $S "$SILKCTL" path add udp port 6002 prio 1 cpu 1 limit 10000 bytes 16m name flood
run $S "$SILKCTL" path show

say "TCP through the 'bulk' path (iperf3, 3 s)"
$S iperf3 -s -D -1 -p 5201
sleep 0.5
cli iperf3 -c 10.0.0.2 -p 5201 -t 3 | grep -E 'sender|receiver'
run $S "$NETMETER"

say "a 300 pkt/s 'voice' flow while 'flood' is blasted and the worker's CPU is busy"
hog=$(starve_cpu 1)
$S python3 "$HELPERS/udp.py" sink 0.0.0.0 6001 --idle 3 >"$TMP/voice.json" &
sink=$!
cli taskset -c 0 sockperf tp -i 10.0.0.2 -p 6002 -m 64 -t 6 --mps=max >/dev/null 2>&1 &
sleep 1
cli taskset -c 0 python3 "$HELPERS/udp.py" send 10.0.0.2 6001 --count 1200 --rate 300 >/dev/null &
echo "\$ netmeter -w 1 -c 4"
$S "$NETMETER" -w 1 -c 4
wait $sink
kill "$hog"
echo "voice: $(jq .intact "$TMP/voice.json") of 1200 datagrams arrived intact"

say "tcpchains: one nginx instance per class behind port 80 (the paper's commands)"
nginx_start -c 256 \
	-s 'server { listen 8080; location / { return 200 "instance 8080 (default)\n"; } }' \
	-s 'server { listen 8081; location / { return 200 "instance 8081 (www.foo.com)\n"; } }'
sleep 1
run $S "$ROOT/tools/tcpchains" -A c -p 80 -o 8080
run $S "$ROOT/tools/tcpchains" -a c -p 80 -s www.foo.com -r 8081
echo "\$ curl -H 'Host: www.foo.com' http://10.0.0.2/"
cli curl -s -H 'Host: www.foo.com' http://10.0.0.2/
echo "\$ curl http://10.0.0.2/"
cli curl -s http://10.0.0.2/
run $S "$ROOT/tools/tcpchains" -L
$S "$ROOT/tools/tcpchains" -F

say "sensors and an accept-rate group: the basic instance gets 20 connections/s"
run $S "$SILKCTL" meter on interval 500
run $S "$SILKCTL" group add basic rate 20 port 8080
echo "\$ wrk -c 8 -d 4 -H 'Connection: close' http://10.0.0.2:8080/   # 8081 beside it, unlimited"
cli wrk -t 1 -c 8 -d 4 -H 'Connection: close' http://10.0.0.2:8081/ >"$TMP/prem.out" &
prem=$!
cli wrk -t 1 -c 8 -d 4 -H 'Connection: close' http://10.0.0.2:8080/ | grep -E 'requests in|Requests/sec'
wait "$prem"
echo "8081, no group: $(awk '/Requests\/sec/ { print $2 }' "$TMP/prem.out") requests/s"
run $S "$NETMETER" -p 8080 ports
run $S "$SILKCTL" -s group show
$S "$SILKCTL" group del basic

say "counters"
run $S "$SILKCTL" -s path show
run $S "$SILKCTL" stats
say "unload: queued packets are delivered first"
cleanup
trap - EXIT
run rmmod silk && echo "silk unloaded"
