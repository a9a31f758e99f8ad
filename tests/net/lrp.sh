#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Lazy receiver processing and takeover.
#  - lazy: a UDP receiver that never reads gets a flood. With a lazy path
#    the socket never overflows (its own drop counter stays near zero), the
#    path parks and drops early; with an eager path the socket drops the
#    flood after protocol processing: the same flood costs the lazy path
#    next to no CPU time and the eager one (the control) the protocol work
#    of every datagram. A second UDP service, on a path of the same
#    priority on the same worker, keeps answering near its idle round trip
#    while the lazy port is flooded.
#  - lazy listen: SYNs to a listener whose accept queue is full wait in the
#    path instead of being processed.
#  - takeover: default paths for tcp, udp, icmp and other carry everything
#    no other path binds; ping (v4 and v6), UDP and TCP still work, and a
#    ping flood lands in the ICMP default path only.
source "$(dirname "$0")/../lib.sh"
plan 33

silk_load || { fail "silk loads"; finish; }
setup_pair

# sock_drops PORT: the UDP socket's drop counter (/proc/net/udp).
sock_drops() {
	srv awk -v p="$(printf '%04X' "$1")" \
		'NR > 1 { split($2, a, ":"); if (a[2] == p) print $NF }' /proc/net/udp
}

# Receivers that never read, with a small buffer.
srv python3 -c '
import socket, time
socks = []
for p in (7101, 7102):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16384)
    s.bind(("0.0.0.0", p))
    socks.append(s)
time.sleep(100000)' &
srv python3 "$HELPERS/udp.py" sink 0.0.0.0 7200 --echo --idle 100000 >/dev/null &
for p in 7101 7102 7200; do listening $p udp; done

check "lazy path add udp 7101" srv "$SILKCTL" path add udp port 7101 lazy on limit 200 cpu 1
check "eager path add udp 7102" srv "$SILKCTL" path add udp port 7102 limit 200 cpu 1
check "echo path add udp 7200" srv "$SILKCTL" path add udp port 7200 cpu 1
lz=$(srv "$SILKCTL" -j path show udp port 7101 | jq '.[0].id')
eg=$(srv "$SILKCTL" -j path show udp port 7102 | jq '.[0].id')
check_cond "path shows lazy on" \
	"$(srv "$SILKCTL" -j path show id "$lz" | jq -r '.[0].lazy')" = true

# Unloaded round trips to the echo service.
cli python3 "$HELPERS/udp.py" ping 10.0.0.2 7200 --count 200 --rate 100 >"$TMP/ping0.json"
# Each path's CPU time over its own flood.
declare -A work
for port in 7101 7102; do
	id=$([ "$port" = 7101 ] && echo "$lz" || echo "$eg")
	c0=$(path_stat srv "$id" cpu_ns)
	cli taskset -c 0 sockperf tp -i 10.0.0.2 -p "$port" -m 64 -t 6 --mps=max \
		>/dev/null 2>&1 &
	flood=$!
	sleep 1
	cli python3 "$HELPERS/udp.py" ping 10.0.0.2 7200 --count 200 \
		--rate 100 >"$TMP/ping.$port.json"
	wait "$flood"
	work[$port]=$(($(path_stat srv "$id" cpu_ns) - c0))
done
sleep 1
ld=$(sock_drops 7101)
ed=$(sock_drops 7102)
lp=$(path_stat srv "$lz" dropped_pkts)
pk=$(path_stat srv "$lz" parked)
ldel=$(path_stat srv "$lz" delivered_pkts)
log "lazy: path delivered $ldel dropped $lp parked $pk, socket drops $ld; eager: socket drops $ed"
check_cond "lazy path parked ($pk) and dropped early ($lp)" "$pk" -gt 10 -a "$lp" -gt 1000
check_cond "lazy socket dropped (almost) nothing ($ld <= 64)" "$ld" -le 64
check_cond "eager socket dropped the flood after processing ($ed > 1000)" "$ed" -gt 1000
log "CPU time of the flood: lazy path ${work[7101]} ns, eager path ${work[7102]} ns"
check_cond "the lazy path spent under a tenth of the eager one's protocol work on the same flood (${work[7101]} vs ${work[7102]} ns)" \
	"$((work[7101] * 10))" -lt "${work[7102]}"
p0=$(jq .p50_us "$TMP/ping0.json")
p1=$(jq .p50_us "$TMP/ping.7101.json")
p2=$(jq .p50_us "$TMP/ping.7102.json")
l1=$(jq .lost "$TMP/ping.7101.json")
log "echo service p50 round trip: ${p0} us idle, ${p1} us with the lazy port flooded, ${p2} us with the eager one"
check_cond "echo service answered every ping under the lazy flood (lost $l1)" "$l1" = 0
python3 -c "import sys; sys.exit(not $p1 <= 3 * $p0 + 2000)" &&
	pass "echo service latency under the lazy flood stays near idle ($p1 us vs $p0 us)" ||
	fail "echo service latency under the lazy flood stays near idle ($p1 us vs $p0 us)"

# Reading again empties the path: nothing was lost that fit the queue.
srv "$SILKCTL" path del id "$eg"

# --- lazy listen ---------------------------------------------------------
# A listener with backlog 1 that never accepts: its accept queue is full
# with two connections, and the SYNs of the next ones wait in the lazy path.
srv python3 -c '
import socket, time
s = socket.socket(); s.bind(("0.0.0.0", 7300)); s.listen(1)
time.sleep(100000)' &
listening 7300
check "lazy path add tcp 7300" srv "$SILKCTL" path add tcp port 7300 lazy on cpu 1
tl=$(srv "$SILKCTL" -j path show tcp port 7300 | jq '.[0].id')
conns=()
# Each client holds its connection (or its connect) for up to 20 s (times
# SLOW) and is killed after the check: five Python clients starting at once
# on a busy machine take seconds before their SYNs go.
conn() {
	cli timeout $((20 * SLOW)) python3 -c '
import socket, time
s = socket.create_connection(("10.0.0.2", 7300), timeout=20 * '"$SLOW"')
time.sleep(20 * '"$SLOW"')' >/dev/null 2>&1 &
	conns+=($!)
}
# accepting PORT: connections in the accept queue of the listener.
accepting() { srv ss -Hltn "sport = :$1" | awk '{print $2}'; }
conn; conn
poll 15 eval '[ "$(accepting 7300)" = 2 ]' ||
	log "the accept queue holds $(accepting 7300) connections after $((15 * SLOW)) s, not 2"
conn; conn; conn
waiting() {
	q=$(path_stat srv "$tl" qlen)
	pk=$(path_stat srv "$tl" parked)
	[ "$q" -gt 0 ] && [ "$pk" -gt 0 ]
}
poll 15 waiting
log "lazy listen: qlen $q parked $pk"
check_cond "SYNs to a full accept queue wait in the path (qlen $q, parked $pk)" \
	"$q" -gt 0 -a "$pk" -gt 0
pkill -f 'create_connection\(\("10.0.0.2", 7300' 2>/dev/null
wait "${conns[@]}" 2>/dev/null
srv "$SILKCTL" path del id "$tl"
for id in $(srv "$SILKCTL" -j path show | jq '.[].id'); do srv "$SILKCTL" path del id "$id"; done
pkill -f "sleep\(100000\)" 2>/dev/null

# --- takeover ------------------------------------------------------------
check "takeover on" srv "$SILKCTL" takeover on limit 500 cpu 1
check_cond "four default paths" \
	"$(srv "$SILKCTL" -j path show | jq '[.[] | select(.default)] | length')" = 4
dflt() { srv "$SILKCTL" -j path show | jq ".[] | select(.default and .proto == \"$1\") | .id"; }
dt=$(dflt tcp); du=$(dflt udp); di=$(dflt icmp); do_=$(dflt other)
check_refused "a default path with a port" "protocol only" \
	srv "$SILKCTL" path add tcp default port 80
check "ping v4 through the ICMP default path" cli ping -c 3 -i 0.2 -W 2 10.0.0.2
check "ping v6 through the ICMP default path" cli ping -6 -c 3 -i 0.2 -W 2 fd00::2
check_cond "ICMP default path delivered ($(path_stat srv "$di" delivered_pkts))" \
	"$(path_stat srv "$di" delivered_pkts)" -ge 6
srv python3 "$HELPERS/udp.py" sink 0.0.0.0 5353 --echo --idle 100000 >/dev/null &
listening 5353 udp
cli python3 "$HELPERS/udp.py" ping 10.0.0.2 5353 --count 20 --rate 50 >"$TMP/dns.json"
check_cond "DNS-like UDP request/reply works ($(jq .lost "$TMP/dns.json") lost)" \
	"$(jq .lost "$TMP/dns.json")" = 0
check_cond "UDP default path delivered ($(path_stat srv "$du" delivered_pkts))" \
	"$(path_stat srv "$du" delivered_pkts)" -ge 20
srv python3 -m http.server -b :: 8080 >/dev/null 2>&1 &
listening 8080
check "TCP v4 works (HTTP GET)" cli curl -sf -o /dev/null --max-time 5 --retry 5 --retry-connrefused --retry-delay 1 http://10.0.0.2:8080/
check "TCP v6 works (HTTP GET)" cli curl -sf -o /dev/null --max-time 5 --retry 5 --retry-connrefused --retry-delay 1 "http://[fd00::2]:8080/"
check_cond "TCP default path delivered ($(path_stat srv "$dt" delivered_pkts))" \
	"$(path_stat srv "$dt" delivered_pkts)" -gt 6
t0=$(path_stat srv "$dt" delivered_pkts); u0=$(path_stat srv "$du" delivered_pkts)
i0=$(( $(path_stat srv "$di" delivered_pkts) + $(path_stat srv "$di" dropped_pkts) ))
cli timeout 5 hping3 --icmp --flood -q 10.0.0.2 >/dev/null 2>&1
sleep 1
i1=$(( $(path_stat srv "$di" delivered_pkts) + $(path_stat srv "$di" dropped_pkts) ))
t1=$(path_stat srv "$dt" delivered_pkts); u1=$(path_stat srv "$du" delivered_pkts)
log "ICMP flood: ICMP default path saw $((i1 - i0)), TCP $((t1 - t0)), UDP $((u1 - u0))"
check_cond "ICMP flood landed in the ICMP default path ($((i1 - i0)))" "$((i1 - i0))" -gt 1000
check_cond "and not in the TCP or UDP default paths" "$((t1 - t0 + u1 - u0))" -lt 10
check_cond "no packet went through 'other'" "$(path_stat srv "$do_" delivered_pkts)" = 0
check "ping still works after the flood" cli ping -c 2 -i 0.2 -W 2 10.0.0.2
check "takeover off" srv "$SILKCTL" takeover off
check_cond "no path left" "$(srv "$SILKCTL" -j path show | jq length)" = 0
check "ping works without takeover" cli ping -c 2 -i 0.2 -W 2 10.0.0.2

finish
