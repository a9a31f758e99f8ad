#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Strict priority between paths when the worker is the bottleneck: a busy
# loop at nice -20 on the worker's CPU leaves the worker (nice 0) a few
# thousand packets a second, in slices of a few milliseconds. The flood's
# queue is deep enough (10000) that no slice empties it: it stays backlogged.
# A 300 pkt/s flow and the flood share the worker (a kernel SLOW times
# slower gives the worker SLOW times fewer packets a second: the flow's rate,
# its count and the flood's queue are divided by SLOW):
#  - flow above flood: the flow keeps its whole rate, the flood takes the loss;
#  - flow below flood: the flow starves (so the first result is the
#    priority's doing, not spare capacity);
#  - equal priority: round robin gives the flow its turn.
# Levels are off (the worker stays at SCHED_BATCH nice 0, below the hog;
# levels.sh tests them), and so is direct processing, so that every packet
# waits for the starved worker.
source "$(dirname "$0")/../lib.sh"
plan 11

silk_load direct=0 levels=0 || { fail "silk loads"; finish; }
setup_pair
check "path add: flow, udp 6001 on cpu 1" \
	srv "$SILKCTL" path add udp port 6001 cpu 1 limit 256 name flow
check "path add: flood, udp 6002 on cpu 1" \
	srv "$SILKCTL" path add udp port 6002 cpu 1 limit $((10000 / SLOW)) bytes 16m name flood
N=$((1500 / SLOW))
fid=$(srv "$SILKCTL" -j path show udp port 6001 | jq '.[0].id')
did=$(srv "$SILKCTL" -j path show udp port 6002 | jq '.[0].id')
srv iperf3 -s -p 6002 -D
hog=$(starve_cpu 1)
listening 6002

# round FLOW-PRIO FLOOD-PRIO: N flow datagrams in 5 s under the flood;
# prints how many arrived intact and the flood's drop count.
round() {
	srv "$SILKCTL" path change id "$fid" prio "$1"
	srv "$SILKCTL" path change id "$did" prio "$2"
	local d0 f0
	d0=$(path_stat srv "$did" dropped_pkts)
	f0=$(path_stat srv "$fid" delivered_pkts)
	srv python3 "$HELPERS/udp.py" sink 0.0.0.0 6001 --first $((15 * SLOW)) --idle $((4 * SLOW)) \
		--rcvbuf 1048576 >"$TMP/flow.json" &
	local sink=$!
	listening 6001 udp
	cli taskset -c 0 iperf3 -u -b 0 -l 64 -c 10.0.0.2 -p 6002 -t 8 \
		>/dev/null 2>&1 &
	local flood=$!
	sleep 1
	cli taskset -c 0 python3 "$HELPERS/udp.py" send 10.0.0.2 6001 \
		--count "$N" --rate $((N / 5)) >/dev/null
	wait $flood $sink
	# Let the flood's backlog drain before the next round.
	drained srv "$did"
	# What the flow's path delivered and its sink took, for a miss.
	echo "# flow path delivered $(($(path_stat srv "$fid" delivered_pkts) - f0)); sink $(jq -c . "$TMP/flow.json" 2>&1)" >&2
	echo "$(jq .intact "$TMP/flow.json") $(($(path_stat srv "$did" dropped_pkts) - d0))"
}

read -r got drops <<<"$(round 10 1)"
log "flow above flood: $got of $N arrived, flood dropped $drops"
check_cond "flow above flood keeps its rate (>= 99%: $got of $N)" "$got" -ge $((N * 99 / 100))
check_cond "flood below absorbs the loss ($drops drops)" "$drops" -gt $((N * 2 / 3))
check_cond "flow path dropped nothing" "$(path_stat srv "$fid" dropped_pkts)" = 0

read -r got drops <<<"$(round 1 10)"
log "flow below flood: $got of $N arrived, flood dropped $drops"
check_cond "flow below a saturating flood starves (< 50%: $got of $N)" "$got" -lt $((N / 2))
check_cond "flow path counts its early drops" \
	"$(path_stat srv "$fid" dropped_pkts)" -gt 0

read -r got drops <<<"$(round 5 5)"
log "equal priority: $got of $N arrived, flood dropped $drops"
check_cond "equal priority: round robin serves the flow (>= 95%: $got of $N)" \
	"$got" -ge $((N * 95 / 100))

kill "$hog"
finish
