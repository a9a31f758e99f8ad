#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Scheduling classes and the Linux share.
#
# The worker is made the bottleneck without starving it of its CPU: 2000
# nftables rules after silk's hook (priority -150) run for every packet in
# the worker, so a flood from CPU 0 needs more than all of CPU 1, where the
# paths' worker runs. A debug kernel slows the senders (allocation) more
# than the rules: SLOW times as many rules there for the WFQ and class-order
# shares (the EDF checks keep 2000 and take bursts of 16 / SLOW packets: a
# burst must cost far less than an EDF period). Shares are measured from
# the paths' cpu_ns counters over 5 s with every path backlogged (for WFQ
# and class order checked: queued at both ends of the 5 s, dropping in
# between).
#  - WFQ: three saturating paths of weights 1:2:4 get 1/7:2/7:4/7 (+-10%).
#  - class order: a saturating FP path leaves a WFQ path next to nothing.
#  - EDF budget: a saturating EDF path of runtime 2 ms per 10 ms gets
#    runtime/period = 20% of wall time +-10% (less only by the time its
#    worker was off its CPU), and is throttled; the worker gives the rest
#    to a saturating FP path, and no more than the budget leaves; with a
#    budget of its whole period the EDF path, kept backlogged, takes at
#    least 90% of what the worker processes.
#  - EDF deadlines: two light EDF flows under an FP flood miss no deadline,
#    by silk's count and at their receivers, which compare each arrival with
#    the send time the datagram carries.
#  - Linux share: a busy loop on the worker's CPU keeps linux_share=60% of
#    it while a path is flooded; with linux_share=0 it gets less.
#  - bad class parameters are refused with a message, changing nothing.
# Classes decide only among packets that wait: direct processing is off,
# or a worker with nothing ready would take each packet where it arrives.
# And levels are off: this is the order among paths, and the test's own
# senders, sinks and readers must not wait for a worker above them
# (tests/net/levels.sh places paths among tasks).
source "$(dirname "$0")/../lib.sh"
plan 44

silk_load direct=0 levels=0 || { fail "silk loads"; finish; }
setup_pair

# burn N: the chain of N rules, in place of the one before.
burn() {
	local i

	srv nft delete table inet burn 2>/dev/null
	{
		echo "table inet burn { chain c { type filter hook prerouting priority -150;"
		for i in $(seq "$1"); do
			echo "ip saddr 192.0.2.$((i % 250 + 1)) ip daddr 198.51.100.$((i / 250 + 1)) counter"
		done
		echo "}"; echo "}"
	} | srv nft -f - || fail "nft burn chain of $1 rules loads"
}
burn $((2000 * SLOW))

# Bound sockets that never read: delivery ends in a cheap socket drop.
srv python3 -c '
import socket, sys, time
socks = []
for p in range(7001, 7010):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)
    s.bind(("0.0.0.0", p))
    socks.append(s)
time.sleep(100000)' &
listening 7009 udp

# flood PORT SECS: 64-byte datagrams as fast as CPU 0 sends them.
flood() {
	cli taskset -c 0 sockperf tp -i 10.0.0.2 -p "$1" -m 64 -t "$2" \
		--mps=max >/dev/null 2>&1 &
}
add() { # PORT ARGS...
	local port=$1
	shift
	srv "$SILKCTL" path add udp port "$port" cpu 1 limit 1000 bytes 64m "$@" >/dev/null &&
		srv "$SILKCTL" -j path show udp port "$port" | jq '.[0].id'
}
cpu_ns() { path_stat srv "$1" cpu_ns; }
drain() { drained srv "$@"; }
# pstats ID: the path's cpu_ns, qlen and dropped_pkts, read at once.
pstats() {
	srv "$SILKCTL" -j -s path show id "$1" |
		jq -r '.[0].stats | "\(.cpu_ns) \(.qlen) \(.dropped_pkts)"'
}
# backlogged ID...: every path holds more than 100 packets.
backlogged() {
	local id
	for id in "$@"; do
		[ "$(path_stat srv "$id" qlen)" -gt 100 ] || return 1
	done
}
# shares ID...: fraction of the paths' combined cpu_ns each got over 5 s.
# Starts once every path is backlogged (floods start with some jitter), or
# gives up waiting; $TMP/backlog then shows, a line a path, "ID QUEUED
# DROPPED QUEUED": its queue at the start, its drops during the 5 s and its
# queue at the end (read only there, as cpu_ns).
shares() {
	local ids=("$@") a=() b=() id i c q0 q1 x0 x1
	poll 10 backlogged "$@"
	for id in "$@"; do a+=("$(pstats "$id")"); done
	sleep 5
	for id in "$@"; do b+=("$(pstats "$id")"); done
	: >"$TMP/backlog"
	for i in "${!a[@]}"; do
		read -r c q0 x0 <<<"${a[i]}"
		read -r c q1 x1 <<<"${b[i]}"
		echo "${ids[i]} $q0 $((x1 - x0)) $q1" >>"$TMP/backlog"
	done
	python3 -c '
import sys
n = len(sys.argv) // 2
d = [int(sys.argv[1 + n + i].split()[0]) - int(sys.argv[1 + i].split()[0]) for i in range(n)]
t = sum(d) or 1
print(" ".join("%.3f" % (x / t) for x in d))' "${a[@]}" "${b[@]}"
}
# check_backlog DESC: every path of the last shares was backlogged all
# through its 5 s: more than 100 queued at the start, queued at the end,
# and dropping in between (arrivals above what the worker gave it). A path
# that ran empty takes less than its share for a reason that is not the
# scheduler's, or (the class-order check) loses nothing to it.
check_backlog() {
	local desc=$1 seen

	seen=$(awk '{ printf "%spath %s: %d queued, %d dropped, %d queued",
		(NR > 1 ? "; " : ""), $1, $2, $3, $4 }' "$TMP/backlog")
	check "$desc ($seen)" \
		awk '!($2 > 100 && $3 > 0 && $4 > 0) { bad = 1 } END { exit bad || !NR }' \
		"$TMP/backlog"
}
# within X WANT TOL: |X - WANT| <= TOL * WANT
within() { calc_true '(x > w ? x - w : w - x) <= t * w' x="$1" w="$2" t="$3"; }

# --- bad input ---------------------------------------------------------
check "path add udp 7009 (fp)" add 7009 name base
bad() { # DESC REASON SILKCTL-ARGS...
	local desc=$1 reason=$2
	shift 2
	check_refused "$desc" "$reason" srv "$SILKCTL" "$@"
}
bad "deadline 0" "deadline \\(us\\).*out of range" \
	path add udp port 7008 class edf deadline 0 runtime 1ms
bad "runtime > period" "runtime <= deadline <= period" \
	path add udp port 7008 class edf deadline 5ms runtime 8ms period 10ms
bad "deadline > period" "runtime <= deadline <= period" \
	path add udp port 7008 class edf deadline 20ms runtime 1ms period 10ms
bad "EDF without runtime" "needs a deadline and a runtime" \
	path add udp port 7008 class edf deadline 5ms
bad "deadline above 10 s" "invalid deadline" \
	path add udp port 7008 class edf deadline 11s runtime 1ms
bad "weight 0" "weight.*out of range" path add udp port 7008 class wfq weight 0
bad "weight 10001" "weight.*out of range" path add udp port 7008 class wfq weight 10001
bad "weight on an FP path" "WFQ paths only" path change udp port 7009 weight 3
bad "deadline on an FP path" "EDF paths only" path change udp port 7009 deadline 1ms
bad "unknown class name" "invalid class" path add udp port 7008 class cfs
out=$(srv python3 "$HELPERS/genl.py" PATH_ADD PATH_A_PROTO=u8:17 PATH_A_PORT=u16:7008 \
	PATH_A_CLASS=u8:7)
check_cond "raw request with class 7 refused (ERANGE, out of range): $out" \
	"$(jq -r '"\(.error) \(.msg)"' <<<"$out")" = "34 integer out of range"
check_cond "nothing was added" "$(srv "$SILKCTL" -j path show | jq length)" = 1
check "change fp -> wfq weight 3" srv "$SILKCTL" path change udp port 7009 class wfq weight 3
check_cond "path shows class wfq weight 3" \
	"$(srv "$SILKCTL" -j path show udp port 7009 | jq -r '.[0] | "\(.class) \(.weight)"')" = "wfq 3"
check "change wfq -> edf" srv "$SILKCTL" path change udp port 7009 class edf \
	deadline 5ms runtime 1ms
check_cond "path shows class edf, period defaults to the deadline" \
	"$(srv "$SILKCTL" -j path show udp port 7009 |
		jq -r '.[0] | "\(.class) \(.deadline_us) \(.runtime_us) \(.period_us)"')" = "edf 5000 1000 5000"
srv "$SILKCTL" path del udp port 7009

# --- WFQ 1:2:4 ---------------------------------------------------------
# Deep queues: a sender that stalls for a while (three share CPU 0) must
# not let its path run empty, or it loses its share for a reason that is
# not WFQ's.
w1=$(add 7001 class wfq weight 1 limit 4000)
w2=$(add 7002 class wfq weight 2 limit 4000)
w4=$(add 7003 class wfq weight 4 limit 4000)
# Floods outlast any wait for the backlog; stopped once measured.
flood 7001 40
flood 7002 40
flood 7003 40
read -r s1 s2 s4 <<<"$(shares "$w1" "$w2" "$w4")"
wait_floods() { while pgrep -x sockperf >/dev/null; do sleep 0.2; done; }
stop_floods() { pkill -x sockperf; wait_floods; }
stop_floods
log "WFQ shares for weights 1:2:4: $s1 $s2 $s4 (want 0.143 0.286 0.571)"
check_backlog "WFQ paths were backlogged while measured"
within "$s1" 0.142857 0.10 && pass "weight 1 gets 1/7 +-10% ($s1)" || fail "weight 1 gets 1/7 +-10% ($s1)"
within "$s2" 0.285714 0.10 && pass "weight 2 gets 2/7 +-10% ($s2)" || fail "weight 2 gets 2/7 +-10% ($s2)"
within "$s4" 0.571429 0.10 && pass "weight 4 gets 4/7 +-10% ($s4)" || fail "weight 4 gets 4/7 +-10% ($s4)"
drain "$w1" "$w2" "$w4"

# --- FP above WFQ ------------------------------------------------------
srv "$SILKCTL" path change id "$w1" class fp prio 0
flood 7001 40
flood 7003 40
read -r sf sw <<<"$(shares "$w1" "$w4")"
stop_floods
log "FP prio 0 vs WFQ: $sf $sw"
# Else a WFQ path with nothing to send would pass.
check_backlog "FP and WFQ paths were backlogged while measured"
calc_true 'sw < 0.05' sw="$sw" &&
	pass "a saturating FP path leaves WFQ < 5% ($sw)" ||
	fail "a saturating FP path leaves WFQ < 5% ($sw)"
drain "$w1" "$w4"
for id in "$w1" "$w2" "$w4"; do srv "$SILKCTL" path del id "$id"; done
# EDF budgets of 2 ms want packets that cost far less: the stock count.
# And a burst (not cut short, so it can overrun a budget and leave the
# path throttled while the FP path runs) as far below the 10 ms period as
# on the stock kernel: 16 packets there, 16 / SLOW here.
burst0=$(cat /sys/module/silk/parameters/burst)
if [ "$SLOW" -gt 1 ]; then
	burn 2000
	echo $((burst0 / SLOW > 0 ? burst0 / SLOW : 1)) >/sys/module/silk/parameters/burst
fi

# --- EDF budget --------------------------------------------------------
# edf_round N: the EDF path's and the FP path's cpu_ns per second of wall
# time, the same for the worker's own CPU time (off its CPU for the rest),
# with N senders for the EDF path and one for the FP path, and how many
# packets the EDF path dropped meanwhile (read only at the ends: a reader
# in between takes CPU from the worker and the senders).
e=$(add 7004 class edf deadline 10ms runtime 2ms period 10ms)
f=$(add 7005 prio 10)
# The namespace's worker on CPU 1 (silk/1:INUM), there until srv goes.
wk=$(ps -eo pid=,comm= | awk '$2 ~ /^silk\/1:/ { print $1; exit }')
[ -n "$wk" ] || log "no worker silk/1:* found: the EDF budget checks below fail"
wticks() { awk '{ print $14 + $15 }' "/proc/$wk/stat"; }
# rp ID: the EDF path's runtime/period, which its bounds derive from.
rp() { srv "$SILKCTL" -j path show id "$1" | jq '.[0].runtime_us / .[0].period_us'; }
edf_round() {
	local e0 f0 e1 f1 k0 k1 t0 t1 x0 x1 i
	for i in $(seq "$1"); do flood 7004 10; done
	flood 7005 10
	sleep 2
	x0=$(path_stat srv "$e" dropped_pkts)
	e0=$(cpu_ns "$e"); f0=$(cpu_ns "$f"); k0=$(wticks); t0=$(date +%s%N)
	sleep 5
	e1=$(cpu_ns "$e"); f1=$(cpu_ns "$f"); k1=$(wticks); t1=$(date +%s%N)
	x1=$(path_stat srv "$e" dropped_pkts)
	wait_floods
	drain "$e" "$f"
	# The shell subtracts t0 from t1: ns since the epoch are beyond a
	# double's 53 bits (t0 and t1 go to calc only to be checked).
	calc '%.3f %.3f %.3f' '(e1 - e0) / dt, (f1 - f0) / dt, (k1 - k0) / hz / (dt / 1e9)' \
		e0="$e0" e1="$e1" f0="$f0" f1="$f1" k0="$k0" k1="$k1" \
		t0="$t0" t1="$t1" dt=$((t1 - t0)) hz="$(getconf CLK_TCK)"
	echo $((x1 - x0))
}
r1=$(rp "$e")
read -r ue uf uw _ <<<"$(edf_round 1 | tr '\n' ' ')"
se=$(calc '%.3f' 'ue / (ue + uf)' ue="$ue" uf="$uf")
log "EDF 2ms/10ms: EDF path used $ue of the CPU, FP path $uf, their worker was on it $uw; EDF's share of the worker $se"
# A budget of R per P is R/P of wall time, +-10%. The EDF path comes first
# whenever its worker runs, so it gets less only by as much as the worker
# was off its CPU (linux_share, the test's own processes). Its part of wall
# time is its share of what the worker spent on packets times the time the
# worker was on its CPU (scheduler ticks): the paths' cpu_ns together have
# come to 1.106 of wall time under TCG, with the worker above every task
# (a ratio of them is sound, their scale is not).
ew=$(calc '%.3f' 'se * uw' se="$se" uw="$uw")
# lo allows for the time the worker was off its CPU: max(0, 1 - uw).
read -r lo hi <<<"$(calc '%.3f %.3f' '0.9 * r1 - (1 - uw > 0 ? 1 - uw : 0), 1.1 * r1' \
	r1="$r1" uw="$uw")"
calc_true 'lo <= ew && ew <= hi' lo="$lo" ew="$ew" hi="$hi" &&
	pass "EDF path throttled to runtime/period = $r1 of wall time ($lo <= $ew <= $hi; $se of the worker, on its CPU $uw)" ||
	fail "EDF path throttled to runtime/period = $r1 of wall time ($lo <= $ew <= $hi; $se of the worker, on its CPU $uw)"
check_cond "EDF path was throttled ($(path_stat srv "$e" throttled) times)" \
	"$(path_stat srv "$e" throttled)" -gt 100
# The FP path gets the rest: more than half of the 1 - R/P of wall time
# the budget leaves (the other half for the worker's own work beside the
# packets', and its time away), and of what the worker processed no more
# than the budget leaves, 1 - 0.9 * R/P.
# Both need the worker on its CPU most of the time (stock: 0.85, 0.83);
# on the debug kernel it was there 0.45 and 0.29 of the rounds, too little
# to show how its time divides.
# held U...: the worker was on its CPU at least 0.6 of each round.
held() {
	local u
	for u; do calc_true 'u >= 0.6' u="$u" || return 1; done
}
read -r flo fhi <<<"$(calc '%.3f %.3f' '(1 - r1) / 2, 1 - 0.9 * r1' r1="$r1")"
sf=$(calc '%.3f' '1 - se' se="$se")
if ! held "$uw"; then
	skip "FP path below gets the rest" "the worker was on its CPU $uw of the time"
elif calc_true 'uf > flo && sf <= fhi' uf="$uf" flo="$flo" sf="$sf" fhi="$fhi"; then
	pass "FP path below gets the rest ($uf > $flo of wall time; $sf <= $fhi of the worker)"
else
	fail "FP path below gets the rest ($uf > $flo of wall time; $sf <= $fhi of the worker)"
fi
# Three senders for the EDF path, so that it stays backlogged on a slow
# kernel too; one sender still offers the FP path far more than the bound.
srv "$SILKCTL" path change id "$e" runtime 10ms
r2=$(rp "$e")
read -r ue2 uf2 uw2 edrops <<<"$(edf_round 3 | tr '\n' ' ')"
se2=$(calc '%.3f' 'ue2 / (ue2 + uf2 ? ue2 + uf2 : 1)' ue2="$ue2" uf2="$uf2")
log "EDF 10ms/10ms: EDF path used $ue2, FP path $uf2, their worker was on its CPU $uw2; EDF path dropped $edrops meanwhile"
log "EDF path: $(path_stat srv "$e" throttled) times throttled, $(($(cpu_ns "$e") / $(path_stat srv "$e" delivered_pkts) / 1000)) us a packet, bursts of $(cat /sys/module/silk/parameters/burst)"
check_cond "the EDF path was overloaded ($edrops drops while measured)" "$edrops" -gt 0
# R/P = 1 (all of the worker, the upper bound): at least 0.9 * R/P of
# what the worker processed, the FP path getting only what overrun bursts
# leave, and of wall time more than twice its take at a fifth of the
# budget: how much wall time the worker turns into packets depends on the
# kernel (0.561 on the debug kernel, 0.899 on the stock one).
lo2=$(calc '%.3f' '0.9 * r2' r2="$r2")
if ! held "$uw" "$uw2"; then
	skip "with a full budget the EDF path takes the worker" \
		"the worker was on its CPU $uw and $uw2 of the time"
elif calc_true 'se2 >= lo2 && ue2 > 2 * ue' se2="$se2" lo2="$lo2" ue2="$ue2" ue="$ue"; then
	pass "with a full budget the EDF path takes the worker ($se2 >= $lo2 of it; $ue2 > 2 x $ue of wall time; FP $uf2)"
else
	fail "with a full budget the EDF path takes the worker ($se2 >= $lo2 of it; $ue2 > 2 x $ue of wall time; FP $uf2)"
fi
srv "$SILKCTL" path del id "$e"

# --- EDF deadlines under an FP flood ------------------------------------
# silk counts a miss from its hook to its delivery; the receivers see the
# whole way: each datagram carries its send time (udp.py --stamp, the same
# CLOCK_MONOTONIC in both namespaces) and its sink, reading ports the
# never-reading sockets above leave free, how long it took. (Sender and
# sinks at SCHED_FIFO 10 took the worker's CPU: silk then counted a 52 ms
# wait, in two runs of two; at SCHED_OTHER none, the longest 10.7 ms at a
# sink.)
# Each flow must fit its reservation (10% of the CPU) with room, as EDF
# promises deadlines only to a flow that keeps to its budget: at 100/s and
# 0.27-0.45 ms a packet (2000 rules under TCG; CI's machine is the slower)
# a flow needs 27-45% of it. At 200/s CI's costs came to 80% and the
# sender's catch-up bursts (it sends late datagrams back to back) to more:
# 18 misses of 1000. On a slow kernel (SLOW) the flows are lighter still:
# at 200/s a debug kernel's 0.65 ms a packet overran 5 ms per 50 ms, an
# infeasible set (948 misses).
n=$((500 / SLOW))
d1=$(add 7010 class edf deadline 50ms runtime 5ms period 50ms)
d2=$(add 7011 class edf deadline 100ms runtime 10ms period 100ms)
sinks=()
for port in 7010 7011; do
	srv python3 "$HELPERS/udp.py" sink 0.0.0.0 "$port" --count "$n" \
		--idle 3 --stamp >"$TMP/late.$port" &
	sinks+=("$!")
	listening "$port" udp
done
flood 7005 12
poll 10 backlogged "$f"
cli python3 "$HELPERS/udp.py" send 10.0.0.2 7010 --count "$n" --rate $((100 / SLOW)) \
	--stamp >/dev/null &
sender=$!
cli python3 "$HELPERS/udp.py" send 10.0.0.2 7011 --count "$n" --rate $((100 / SLOW)) \
	--stamp >/dev/null
wait "$sender" "${sinks[@]}"
wait_floods
drain "$d1" "$d2" "$f"
# The way outside silk, from the sender's stamp to the hook and from the
# socket to the sink's read: a syscall, a softirq and a wakeup at each end,
# each waiting at most for a burst of the worker (2.3 ms) or a softirq
# round of the flood (2 ms): 10 ms with room.
# A miss in a hundred is allowed, and a sink's p99 (not its max) is held to
# the bound: under TCG the host can stop the vCPU in the middle of a
# packet, and sched_clock() runs on, so the path is charged the stall and
# throttled for up to a period (seen once in CI: 1 miss of 1000, waited
# 118 ms of 100). A broken scheduler misses hundreds (948, 276 seen).
allow_us=10000
for id in "$d1" "$d2"; do
	got=$(path_stat srv "$id" delivered_pkts)
	miss=$(path_stat srv "$id" deadline_misses)
	max=$(path_stat srv "$id" sojourn_max_ns)
	port=$(srv "$SILKCTL" -j path show id "$id" | jq '.[0].port')
	dl=$(srv "$SILKCTL" -j path show id "$id" | jq '.[0].deadline_us')
	rcv=$(cat "$TMP/late.$port")
	log "EDF path $id: delivered $got, misses $miss, longest wait $((max / 1000)) us, $(path_stat srv "$id" throttled) times throttled; at its sink: $(jq -c 'del(.sha256)' <<<"$rcv" 2>/dev/null)"
	check_cond "EDF path $id delivered all $n under the flood ($got)" "$got" = "$n"
	check_cond "EDF path $id missed at most 1 in 100 deadlines ($miss of $n)" "$miss" -le $((n / 100))
	check "EDF path $id: its sink got all $n, 99% within the deadline + $((allow_us / 1000)) ms of their send ($(jq -r '"\(.intact) intact, p99 \(.late_p99_us) us, longest \(.late_max_us) us"' <<<"$rcv" 2>/dev/null) of $dl + $allow_us us)" \
		jq -en "input | .intact == $n and .late_p99_us <= $dl + $allow_us" <<<"$rcv"
done
check_cond "the FP flood was overloaded ($(path_stat srv "$f" dropped_pkts) drops)" \
	"$(path_stat srv "$f" dropped_pkts)" -gt 0
for id in "$d1" "$d2" "$f"; do srv "$SILKCTL" path del id "$id"; done
echo "$burst0" >/sys/module/silk/parameters/burst

# --- EDF wakeups --------------------------------------------------------
# A path throttled for 10 s sets the worker's timer. A light EDF path whose
# budget (50 us a millisecond) is less than a datagram costs here
# (0.4-0.6 ms with the 2000 rules) is left throttled by each datagram for
# several periods; the second of each pair, up to 1 ms after the first, may
# arrive (from the hook) as the worker, done with the first, is on its way
# to sleep: the worker must learn the nearer timer then, or that datagram
# waits the 10 s. The flow keeps to its budget with room (40 datagrams a
# second need 16-24 ms of its 50 a second): at 100 a second CI's costs
# overran it, and the debt, not a timer, held datagrams for 3.4 s.
t=$(add 7006 $THROTTLED)
cli python3 "$HELPERS/udp.py" send 10.0.0.2 7006 --count 20 >/dev/null
w=$(add 7012 class edf deadline 1ms runtime 50us period 1ms)
n=$((400 / SLOW))
srv python3 "$HELPERS/udp.py" sink 0.0.0.0 7012 --count "$n" --idle 20 \
	--stamp >"$TMP/wake.json" &
sink=$!
listening 7012 udp
check_cond "a path waits 10 s for its budget ($(path_stat srv "$t" qlen) queued)" \
	"$(path_stat srv "$t" qlen)" -gt 0
cli python3 "$HELPERS/udp.py" send 10.0.0.2 7012 --count "$n" --rate $((20 / SLOW)) \
	--burst 2 --spread 1000 --stamp >/dev/null
wait "$sink"
log "light EDF path: $(path_stat srv "$w" throttled) times throttled, $(($(cpu_ns "$w") / ($(path_stat srv "$w" delivered_pkts) + 1) / 1000)) us a packet"
check_cond "the light EDF path was throttled by its datagrams" \
	"$(path_stat srv "$w" throttled)" -ge $((n / 10))
check "a light EDF path's datagrams never wait for another path's timer: $(jq -r '"\(.intact) of '"$n"', longest \(.late_max_us) us"' "$TMP/wake.json")" \
	jq -e ".intact == $n and .late_max_us < 2000000" "$TMP/wake.json"
for id in "$t" "$w"; do srv "$SILKCTL" path del id "$id"; done

# --- Linux share -------------------------------------------------------
# share_round SHARE: CPU fraction a busy loop on CPU 1 gets in 5 s while
# a path on CPU 1 is flooded.
p=$(add 7001)
share_round() {
	local pid t0 t1 c0 c1 hz
	echo "$1" >/sys/module/silk/parameters/linux_share
	taskset -c 1 sh -c 'while :; do :; done' &
	pid=$!
	flood 7001 10
	sleep 2
	hz=$(getconf CLK_TCK)
	c0=$(awk '{print $14 + $15}' /proc/$pid/stat); t0=$(date +%s%N)
	sleep 5
	c1=$(awk '{print $14 + $15}' /proc/$pid/stat); t1=$(date +%s%N)
	kill $pid
	wait_floods
	drain "$p"
	# t1 - t0 as in edf_round.
	calc '%.3f' '(c1 - c0) / hz / (dt / 1e9)' \
		c0="$c0" c1="$c1" t0="$t0" t1="$t1" dt=$((t1 - t0)) hz="$hz"
}
y0=$(srv "$SILKCTL" -j stats | jq .share_yields)
u60=$(share_round 60)
y1=$(srv "$SILKCTL" -j stats | jq .share_yields)
u0=$(share_round 0)
log "busy loop's share of CPU 1: $u60 with linux_share=60, $u0 with linux_share=0"
# Within 10% of the share (issue 20's bound; stock 0.666, debug 0.567).
calc_true 'u60 >= 0.54' u60="$u60" &&
	pass "busy loop keeps linux_share=60% of the worker's CPU, within 10% ($u60)" ||
	fail "busy loop keeps linux_share=60% of the worker's CPU, within 10% ($u60)"
check_cond "workers stepped aside ($((y1 - y0)) times)" "$((y1 - y0))" -gt 50
calc_true 'u0 < u60 - 0.05' u0="$u0" u60="$u60" &&
	pass "without the share the busy loop gets less ($u0)" ||
	fail "without the share the busy loop gets less ($u0)"
echo 10 >/sys/module/silk/parameters/linux_share
srv "$SILKCTL" path del id "$p"
srv nft delete table inet burn

finish
