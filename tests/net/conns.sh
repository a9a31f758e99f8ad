#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Per-connection TCP paths.
#  - a connection gets its own path when it is established, with the class
#    of the most specific path that binds it (remote prefix, DSCP), and
#    loses it on close, on RST and on a timeout;
#  - IPv6 as well as IPv4;
#  - 10,000 short connections (wrk against nginx) leave no path behind;
#  - a bulk transfer through a connection path arrives in order (the
#    receiver queued no segment out of order);
#  - placement policies src, rr and owner put connection paths where they
#    say.
source "$(dirname "$0")/../lib.sh"
plan 45

silk_load || { fail "silk loads"; finish; }
setup_pair
ip -n cli addr add 10.0.0.3/24 dev va
ip -n cli addr add 10.0.0.4/24 dev va

nginx_start -b 4096 8080 [::]:8080
sleep 1

check "listen path tcp 8080 conns on" \
	srv "$SILKCTL" path add tcp port 8080 conns on prio 1 limit 2000
check "rule path: remote 10.0.0.3/32 -> wfq weight 7" \
	srv "$SILKCTL" path add tcp port 8080 remote 10.0.0.3/32 conns on class wfq weight 7
check "rule path: dscp 46 -> edf" \
	srv "$SILKCTL" path add tcp port 8080 dscp 46 conns on class edf deadline 5ms runtime 1ms
bad=$(srv "$SILKCTL" path add udp port 9 conns on 2>&1)
check_cond "conns on a UDP path is refused: $bad" "$(grep -c "TCP port path" <<<"$bad")" = 1
bad=$(srv "$SILKCTL" path add tcp port 8085 dscp 64 2>&1)
check_cond "DSCP 64 is refused: $bad" "$(grep -c "dscp.*out of range" <<<"$bad")" = 1
bad=$(srv "$SILKCTL" path add tcp default conns on 2>&1)
check_cond "conns on a default path is refused: $bad" "$(grep -c "TCP port path" <<<"$bad")" = 1
out=$(srv python3 "$HELPERS/genl.py" NS_SET NS_A_PLACEMENT=u8:9)
check_cond "raw NS_SET with placement 9 is refused: $out" "$(jq .error <<<"$out")" = 34
pa=$(srv "$SILKCTL" -j path show | jq '.[] | select(.remote == null and .dscp == null) | .id')
pb=$(srv "$SILKCTL" -j path show | jq '.[] | select(.remote == "10.0.0.3") | .id')
pc=$(srv "$SILKCTL" -j path show | jq '.[] | select(.dscp == 46) | .id')

# hold SRC DST [TOS]: a connection that makes five requests and stays open
# until waith lets it go (at most a minute, times SLOW); returns once the
# requests are done. Not a fixed time: the checks between must not race
# its close on a slower machine.
hold() {
	cli python3 -c '
import os, socket, sys, time
src, dst = sys.argv[1], sys.argv[2]
release, ready = sys.argv[-2], sys.argv[-1]
fam = socket.AF_INET6 if ":" in dst else socket.AF_INET
s = socket.socket(fam, socket.SOCK_STREAM)
if len(sys.argv) > 5:
    if fam == socket.AF_INET:
        s.setsockopt(socket.IPPROTO_IP, socket.IP_TOS, int(sys.argv[3], 0))
    else:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_TCLASS, int(sys.argv[3], 0))
s.bind((src, 0))
s.connect((dst, 8080))
for i in range(5):
    s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    s.recv(4096)
open(ready, "w").close()
end = time.monotonic() + 60 * '"$SLOW"'
while not os.path.exists(release) and time.monotonic() < end:
    time.sleep(0.05)' "$@" "$TMP/release.$nhold" "$TMP/ready.$nhold" &
	holds+=($!)
	held+=("$TMP/release.$nhold")
	# Until the connection has done its requests.
	for _ in $(seq 100); do
		[ -e "$TMP/ready.$nhold" ] && break
		sleep 0.1
	done
	nhold=$((nhold + 1))
}
nhold=0
holds=()
held=()
# Let the held connections go and wait for them only (nginx runs in the
# background too).
waith() {
	[ ${#held[@]} = 0 ] || touch "${held[@]}"
	wait "${holds[@]}"
	holds=()
	held=()
}
conn_json() { srv "$SILKCTL" -j -s conn show; }

hold 10.0.0.1 10.0.0.2
c=$(conn_json)
check_cond "a connection from 10.0.0.1 has a path of listen path $pa: $(jq -c '.[0] | {remote, path: .id, class, cpu}' <<<"$c")" \
	"$(jq -r '.[0] | "\(.remote) \(.id) \(.class) \(.prio)"' <<<"$c")" = "10.0.0.1 $pa fp 1"
check_cond "its packets went through it ($(jq '.[0].stats.delivered_pkts' <<<"$c"))" \
	"$(jq '.[0].stats.delivered_pkts' <<<"$c")" -ge 4
check "change the listen path to prio 5 while the connection is open" \
	srv "$SILKCTL" path change id "$pa" prio 5
check_cond "the open connection's path follows: prio $(conn_json | jq '.[0].prio')" \
	"$(conn_json | jq '.[0].prio')" = 5
srv "$SILKCTL" path change id "$pa" prio 1
waith
sleep 0.5
check_cond "the path is gone after close" "$(conn_json | jq length)" = 0

hold 10.0.0.3 10.0.0.2
check_cond "from 10.0.0.3: rule path $pb, class wfq weight 7" \
	"$(conn_json | jq -r '.[0] | "\(.id) \(.class) \(.weight)"')" = "$pb wfq 7"
waith
hold 10.0.0.1 10.0.0.2 0xb8
check_cond "DSCP 46: rule path $pc, class edf" \
	"$(conn_json | jq -r '.[0] | "\(.id) \(.class) \(.deadline_us)"')" = "$pc edf 5000"
waith
hold fd00::1 fd00::2
check_cond "IPv6 connection from fd00::1 on listen path $pa" \
	"$(conn_json | jq -r '.[0] | "\(.remote) \(.id)"')" = "fd00::1 $pa"
waith
hold fd00::1 fd00::2 0xb8
check_cond "IPv6 DSCP 46: rule path $pc" "$(conn_json | jq -r '.[0].id')" = "$pc"
waith
sleep 0.5
check_cond "no connection path left" "$(conn_json | jq length)" = 0

# A dump that connections change under says so (NLM_F_DUMP_INTR): with 60
# connections open a dump is asked for, and 20 of them close before the
# rest of it is read.
# many N READY: N connections from cli, open until killed.
many() {
	cli python3 -c '
import socket, sys, time
socks = [socket.create_connection(("10.0.0.2", 8080)) for _ in range(int(sys.argv[1]))]
open(sys.argv[2], "w").close()
time.sleep(600)' "$@" &
}
many 40 "$TMP/many.a"
many 20 "$TMP/many.b"
poll 30 test -e "$TMP/many.a" && poll 30 test -e "$TMP/many.b" &&
	poll 10 eval '[ "$(conn_json | jq length)" -ge 60 ]'
srv python3 "$HELPERS/genl.py" CONN_GET --dump --pause "$TMP/dump.go" >"$TMP/dump.json" &
dp=$!
poll 10 test -e "$TMP/dump.go.sent"
pkill -f "$TMP/many.b"
poll 10 eval '[ "$(conn_json | jq length)" -le 40 ]'
touch "$TMP/dump.go"
wait $dp
check_cond "a dump that connections changed under says so: $(jq -c . "$TMP/dump.json")" \
	"$(jq .intr "$TMP/dump.json")" -gt 0
pkill -f "$TMP/many.a"
poll 10 eval '[ "$(conn_json | jq length)" = 0 ]'

# RST: SO_LINGER 0 resets instead of closing.
cli python3 -c '
import os, socket, struct, sys, time
s = socket.create_connection(("10.0.0.2", 8080))
open(sys.argv[1], "w").close()
end = time.monotonic() + 60 * '"$SLOW"'
while not os.path.exists(sys.argv[2]) and time.monotonic() < end:
    time.sleep(0.05)
s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
s.close()' "$TMP/rst.ready" "$TMP/rst.release" &
holds+=($!)
held+=("$TMP/rst.release")
poll 10 test -e "$TMP/rst.ready"
sleep 0.3
n1=$(conn_json | jq length)
waith
sleep 0.5
check_cond "a reset connection loses its path ($n1 -> $(conn_json | jq length))" \
	"$n1 $(conn_json | jq length)" = "1 0"

# Timeout: the client vanishes (cli drops everything from the server) and
# the server's TCP_USER_TIMEOUT of 1 s closes the connection.
srv python3 -c '
import socket, time
s = socket.socket(); s.bind(("0.0.0.0", 8095)); s.listen(1)
c, a = s.accept()
c.setsockopt(socket.IPPROTO_TCP, socket.TCP_USER_TIMEOUT, 1000)
try:
    while True:
        c.send(b"x" * 100); time.sleep(0.2)
except OSError:
    pass' &
to=$!
sleep 1
check "listen path tcp 8095 conns on" srv "$SILKCTL" path add tcp port 8095 conns on
cli python3 -c '
import socket, sys, time
s = socket.create_connection(("10.0.0.2", 8095))
open(sys.argv[1], "w").close()
time.sleep(15)' "$TMP/to.ready" &
holds+=($!)
poll 10 test -e "$TMP/to.ready"
sleep 0.5
n1=$(srv "$SILKCTL" -j conn show | jq length)
cli nft add table inet vanish
cli nft add chain inet vanish in '{ type filter hook input priority 0; }'
cli nft add rule inet vanish in tcp sport 8095 drop
wait "$to"
sleep 0.5
check_cond "a timed-out connection loses its path ($n1 -> $(srv "$SILKCTL" -j conn show | jq length))" \
	"$n1 $(srv "$SILKCTL" -j conn show | jq length)" = "1 0"
cli nft delete table inet vanish
kill "${holds[@]}" 2>/dev/null
holds=()
srv "$SILKCTL" path del tcp port 8095

# Bulk transfer through a connection path: nothing out of order.
# Everything on CPU 1 (placement src puts 10.0.0.1 there): a veth hands a
# packet to the backlog of the CPU that sends it, and TCP sends from the
# writer's CPU as well as from where the ACKs arrive, so with two CPUs
# involved veth alone can reorder. The server too: its reads send ACKs,
# and a client that takes an ACK on CPU 0 sends from there (one segment
# out of order was seen once with the server unpinned).
srv taskset -c 1 iperf3 -s -p 8081 -D
listening 8081
# Deep queues: a drop would also make segments arrive out of order.
echo $((1 << 30)) >/sys/module/silk/parameters/max_queued_bytes
srv "$SILKCTL" placement src
check "listen path tcp 8081 conns on" \
	srv "$SILKCTL" path add tcp port 8081 conns on cpu 1 limit 100000 bytes 512m
ofo0=$(srv nstat -az TcpExtTCPOFOQueue | awk '/TCPOFOQueue/ { print $2 }')
cli taskset -c 1 iperf3 -c 10.0.0.2 -p 8081 -t 6 -P 2 >/dev/null &
holds+=($!)
for _ in $(seq 100); do
	n=$(srv "$SILKCTL" -j conn show | jq length)
	[ "$n" -ge 3 ] && break
	sleep 0.1
done
check_cond "iperf3 streams and control have connection paths ($n)" "$n" -ge 3
waith
drops=$(srv "$SILKCTL" -j -s path show id "$(srv "$SILKCTL" -j path show tcp port 8081 | jq '.[0].id')" |
	jq '.[0].stats.dropped_pkts')
ofo1=$(srv nstat -az TcpExtTCPOFOQueue | awk '/TCPOFOQueue/ { print $2 }')
check_cond "the listen path dropped nothing ($drops)" "$drops" = 0
check_cond "receiver queued no segment out of order ($ofo0 -> $ofo1)" "$ofo1" = "$ofo0"
srv "$SILKCTL" placement hash
echo $((64 << 20)) >/sys/module/silk/parameters/max_queued_bytes
p81=$(srv "$SILKCTL" -j path show tcp port 8081 | jq '.[0].id')
srv "$SILKCTL" path del id "$p81"

# Placement.
check "placement src" srv "$SILKCTL" placement src
hold 10.0.0.4 10.0.0.2
hold 10.0.0.3 10.0.0.2
check_cond "src: 10.0.0.4 on CPU 0, 10.0.0.3 on CPU 1" \
	"$(conn_json | jq -r 'sort_by(.remote) | map("\(.remote)=\(.cpu)") | join(" ")')" = \
	"10.0.0.3=1 10.0.0.4=0"
waith
check "placement rr" srv "$SILKCTL" placement rr
hold 10.0.0.1 10.0.0.2
hold 10.0.0.1 10.0.0.2
check_cond "rr: two connections on two CPUs" \
	"$(conn_json | jq '[.[].cpu] | unique | length')" = 2
waith
check_cond "stats show placement rr" "$(srv "$SILKCTL" -j stats | jq -r .placement)" = rr
# owner: the path follows the CPU its reader runs on (RFS's flow table).
sysctl -qw net.core.rps_sock_flow_entries=4096
check "placement owner" srv "$SILKCTL" placement owner
for cpu in 0 1; do
	port=$((8090 + cpu))
	srv taskset -c "$cpu" python3 -c '
import socket, sys
s = socket.socket(); s.bind(("0.0.0.0", int(sys.argv[1]))); s.listen(1)
c, a = s.accept()
while c.recv(65536): pass' "$port" &
	listening "$port"
	srv "$SILKCTL" path add tcp port "$port" conns on cpu $((1 - cpu)) >/dev/null
	cli timeout $((60 * SLOW)) python3 -c '
import os, socket, sys, time
s = socket.create_connection(("10.0.0.2", int(sys.argv[1])))
end = time.time() + 3
while time.time() < end:
    s.sendall(b"x" * 1000); time.sleep(0.005)
open(sys.argv[2], "w").close()
while not os.path.exists(sys.argv[3]):
    time.sleep(0.05)' "$port" "$TMP/owner.$cpu" "$TMP/owner.release.$cpu" &
	holds+=($!)
	held+=("$TMP/owner.release.$cpu")
	poll 20 test -e "$TMP/owner.$cpu"
	got=$(srv "$SILKCTL" -j conn show | jq ".[] | select(.local_port == $port) | .cpu")
	check_cond "owner: connection to a reader on CPU $cpu runs on CPU $cpu ($got)" "$got" = "$cpu"
	waith
	srv "$SILKCTL" path del tcp port "$port"
done
check "placement hash" srv "$SILKCTL" placement hash
bad=$(srv "$SILKCTL" placement fastest 2>&1)
check_cond "unknown placement refused: $bad" "$(grep -c "expected" <<<"$bad")" = 1

# 10,000 short connections: as many 5 s rounds as that takes (the debug
# kernel made 9874 in 20).
o0=$(srv "$SILKCTL" -j stats | jq .conns_opened)
total=0
for i in $(seq $((20 * SLOW))); do
	n=$(cli wrk -t 1 -c 16 -d 5 -H "Connection: close" http://10.0.0.2:8080/ |
		awk '/requests in/ { print $1 }')
	total=$((total + ${n:-0}))
	[ "$total" -ge 10000 ] && break
done
sleep 2
st=$(srv "$SILKCTL" -j stats)
log "short connections: $total requests; $(jq -c '{conns, conns_opened, conns_closed, conn_overflows}' <<<"$st")"
check_cond "at least 10,000 short connections ($total)" "$total" -ge 10000
check_cond "each got a connection path ($(( $(jq .conns_opened <<<"$st") - o0 )))" \
	"$(( $(jq .conns_opened <<<"$st") - o0 ))" -ge "$total"
check_cond "no connection path is left" "$(jq .conns <<<"$st")" = 0
check_cond "and none in the listen path's count" \
	"$(srv "$SILKCTL" -j path show id "$pa" | jq '.[0].nconns')" = 0

# Turning conns off removes the connection paths at once; the connection
# goes on without one. Its client makes five requests, waits for conns off,
# makes five more and prints how many of the ten nginx answered right; it
# fails (a traceback) if the connection breaks or stalls.
cli timeout $((30 * SLOW)) python3 -c '
import os, socket, sys, time
s = socket.create_connection(("10.0.0.2", 8080), timeout=int(sys.argv[3]),
                             source_address=("10.0.0.1", 0))
def ask():
    s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    r = b""
    while not r.endswith(b"\r\n\r\nok\n"):
        d = s.recv(4096)
        if not d:
            sys.exit("closed by the server after %r" % r)
        r += d
    return r.startswith(b"HTTP/1.1 200 ")
good = sum(ask() for i in range(5))
open(sys.argv[1], "w").close()
while not os.path.exists(sys.argv[2]):
    time.sleep(0.05)
good += sum(ask() for i in range(5))
print(good)' "$TMP/off.ready" "$TMP/off.go" $((10 * SLOW)) >"$TMP/off.out" 2>&1 &
offc=$!
poll 10 test -e "$TMP/off.ready"
check "conns off" srv "$SILKCTL" path change id "$pa" conns off
check_cond "its connection paths are gone" "$(conn_json | jq length)" = 0
touch "$TMP/off.go"
wait "$offc"
rc=$?
good=$(tail -n 1 "$TMP/off.out")
[ "$rc" = 0 ] || sed 's/^/#   /' "$TMP/off.out" | tail -n 5
n=$(srv "$SILKCTL" -j stats | jq .conns)
check_cond "the connection still worked: exit $rc, $good of 10 answers right (5 after conns off), no connection path left ($n)" \
	"$rc $good $n" = "0 10 0"

nginx_stop
finish
