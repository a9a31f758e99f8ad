#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Early drop under overload. A UDP receiver that does not read is flooded
# while the worker is the bottleneck: its path drops early and counts the
# drops, its queue never exceeds its packet and byte limits, and another
# port served by the same worker keeps flowing. Then the global cap on
# queued bytes (module parameter max_queued_bytes) holds across paths.
# The worker runs its paths above the hog (levels): linux_share=90 makes it
# step aside for 90% of each window while the hog waits, so that it stays
# the bottleneck, and direct processing is off, so that every datagram
# waits for it.
source "$(dirname "$0")/../lib.sh"
plan 19

silk_load linux_share=90 direct=0 || { fail "silk loads"; finish; }
setup_pair
check "path add: deaf receiver, udp 6001, 64 packets / 64 KiB" \
	srv "$SILKCTL" path add udp port 6001 cpu 1 limit 64 bytes 64k name deaf
check "path add: other service, udp 6002" \
	srv "$SILKCTL" path add udp port 6002 cpu 1 name other
aid=$(srv "$SILKCTL" -j path show udp port 6001 | jq '.[0].id')
bid=$(srv "$SILKCTL" -j path show udp port 6002 | jq '.[0].id')

# drop_reasons ID: path ID's early drops by reason (silkctl -s -s), and
# whether they add up to its dropped_pkts: "R1 R2 R3 R4 R5 R6 SUM TOTAL".
drop_reasons() {
	srv "$SILKCTL" -j -s -s path show id "$1" | jq -r '.[0].stats |
		"\(.drop_limit_pkts) \(.drop_limit_bytes) \(.drop_path_share) \(.drop_cap_ns) \(.drop_cap_global) \(.drop_noref) \(.drop_limit_pkts + .drop_limit_bytes + .drop_path_share + .drop_cap_ns + .drop_cap_global + .drop_noref) \(.dropped_pkts)"'
}

# Datagrams the kernel dropped before silk saw them (a full per-CPU backlog).
backlog_drops() {
	local d=0 _p drop _r

	while read -r _p drop _r; do d=$((d + 0x$drop)); done </proc/net/softnet_stat
	echo "$d"
}

hog=$(starve_cpu 1)
# The deaf receiver binds and never reads during the test.
srv python3 "$HELPERS/udp.py" sink 0.0.0.0 6001 --no-read 30 --first 1 \
	>/dev/null 2>&1 &
# The other service's reader stays off the starved CPU, with room to
# spare: a reader the hog starves loses datagrams at its own socket, or
# binds late, which says nothing of silk. (Once, on a loaded host, 1070 of
# 1500 arrived while silk's path dropped none.)
# Its first datagram can take long on a slow kernel, where the sender
# starts slowly beside the flood's (a debug kernel's sink gave up at 15 s,
# 0 of 300 received).
srv taskset -c 0 python3 "$HELPERS/udp.py" sink 0.0.0.0 6002 --first $((15 * SLOW)) \
	--idle $((4 * SLOW)) --rcvbuf 33554432 >"$TMP/other.json" &
other=$!
# Both bound before the flood: a reader that binds late misses datagrams.
listening 6001 udp && listening 6002 udp || fail "both receivers bind"
cli taskset -c 0 sockperf tp -i 10.0.0.2 -p 6001 -m 512 -t 8 --mps=max >/dev/null 2>&1 &
flood=$!
sleep 1
# 300/s for 5 s (scaled down on a slower kernel, whose worker gets through
# less while the hog and the flood share its CPU).
other_n=$((1500 / SLOW))
cli taskset -c 0 python3 "$HELPERS/udp.py" send 10.0.0.2 6002 --count "$other_n" \
	--rate $((300 / SLOW)) >/dev/null
wait $flood $other
log "other service: $(cat "$TMP/other.json"), backlog drops $(backlog_drops), its path delivered $(path_stat srv "$bid" delivered_pkts)"

drops=$(path_stat srv "$aid" dropped_pkts)
log "deaf path: dropped $drops, peak $(path_stat srv "$aid" qlen_peak) pkts" \
	"$(path_stat srv "$aid" qbytes_peak) bytes"
check_cond "deaf path drops early and counts it ($drops)" "$drops" -gt 1000
read -r lp lb _ _ _ _ sum total <<<"$(drop_reasons "$aid")"
check_cond "its drops are counted by reason, its limits' ($(drop_reasons "$aid"))" \
	"$((lp + lb))" -gt 0 -a "$sum" = "$total"
check_cond "deaf path never held more than 64 packets" \
	"$(path_stat srv "$aid" qlen_peak)" -le 64
check_cond "deaf path never held more than 64 KiB" \
	"$(path_stat srv "$aid" qbytes_peak)" -le 65536
check_cond "deaf path's byte limit was reached (the limit was tested)" \
	"$(path_stat srv "$aid" qbytes_peak)" -gt 49152
check_cond "other service kept flowing: $(jq .intact "$TMP/other.json") of $other_n ($(jq .socket_drops "$TMP/other.json") dropped at its socket)" \
	"$(jq .intact "$TMP/other.json")" -ge $((other_n * 99 / 100))
check_cond "other service's path dropped nothing" \
	"$(path_stat srv "$bid" dropped_pkts)" = 0

# Global cap: two deep paths flooded at once share 256 KiB.
echo $((256 << 10)) >/sys/module/silk/parameters/max_queued_bytes
check "path add: flood A, udp 6003, 4 MiB" \
	srv "$SILKCTL" path add udp port 6003 cpu 1 limit 100000 bytes 4m
check "path add: flood B, udp 6004, 4 MiB" \
	srv "$SILKCTL" path add udp port 6004 cpu 1 limit 100000 bytes 4m
cli taskset -c 0 sockperf tp -i 10.0.0.2 -p 6003 -m 512 -t 5 --mps=max >/dev/null 2>&1 &
f1=$!
cli taskset -c 0 sockperf tp -i 10.0.0.2 -p 6004 -m 512 -t 5 --mps=max >/dev/null 2>&1 &
f2=$!
wait $f1 $f2
srv "$SILKCTL" -j stats >"$TMP/stats.json"
log "global: peak $(jq .global_queued_peak "$TMP/stats.json") of" \
	"$(jq .global_cap_bytes "$TMP/stats.json"), cap drops $(jq .cap_drops "$TMP/stats.json")"
check_cond "global cap drops counted" "$(jq .cap_drops "$TMP/stats.json")" -gt 0
for p in 6003 6004; do
	id=$(srv "$SILKCTL" -j path show udp port $p | jq '.[0].id')
	read -r _ _ ps _ cg _ sum total <<<"$(drop_reasons "$id")"
	check_cond "udp $p's drops by reason: the caps' ($(drop_reasons "$id"))" \
		"$((ps + cg))" -gt 0 -a "$sum" = "$total"
done
check_cond "queued bytes never exceeded the global cap" \
	"$(jq .global_queued_peak "$TMP/stats.json")" -le $((256 << 10))

kill "$hog"
# Everything queued drains once the worker gets its CPU back.
for _ in $(seq 100); do
	[ "$(srv "$SILKCTL" -j stats | jq .global_queued_bytes)" = 0 ] && break
	sleep 0.2
done
check_cond "queues drain to zero" "$(srv "$SILKCTL" -j stats | jq .global_queued_bytes)" = 0
finish
