#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# CPU hotplug: CPU 1 goes offline and comes back while a path on it has
# traffic.
#  - nothing accepted is lost: its worker serves the path from CPU 0
#    meanwhile;
#  - new paths go to online CPUs, and a path asked for on the offline CPU
#    is refused;
#  - once CPU 1 is back, its worker runs there again (the kernel forgets
#    a kthread's binding when its CPU goes).
# vm: shares the machine (no check depends on timing: counts across CPU hotplug)
source "$(dirname "$0")/../lib.sh"
plan 13

online() { echo "$1" >/sys/devices/system/cpu/cpu1/online; }
[ -w /sys/devices/system/cpu/cpu1/online ] || skip_test "CPU 1 cannot go offline"

silk_load || { fail "silk loads"; finish; }
setup_pair
check "a path on CPU 1" srv "$SILKCTL" path add udp port 7001 cpu 1 limit 20000 bytes 64m
id=$(path_id srv 7001)
worker=$(pgrep "^silk/1:")

srv python3 "$HELPERS/udp.py" sink 0.0.0.0 7001 --rcvbuf 33554432 \
	--idle $((5 * SLOW)) >"$TMP/sink.json" &
sink=$!
listening 7001 udp
cli python3 "$HELPERS/udp.py" send 10.0.0.2 7001 --count 20000 --rate 4000 \
	>/dev/null &
sender=$!
sleep 1
online 0
check_cond "CPU 1 goes offline under traffic" "$?" = 0
wait $sender
wait $sink
got=$(jq .intact "$TMP/sink.json")
deliv=$(path_stat srv "$id" delivered_pkts)
drop=$(path_stat srv "$id" dropped_pkts)
log "sent 20000: delivered $deliv, dropped early $drop, received $got"
check_cond "every packet is accounted for" $((deliv + drop)) = 20000
check_cond "every delivered packet arrived ($got of $deliv)" "$got" = "$deliv"

for port in 7002 7003 7004 7005; do
	srv "$SILKCTL" path add udp port $port >/dev/null
done
cpus=$(srv "$SILKCTL" -j path show | jq -c '[.[] | select(.port > 7001) | .cpu] | unique')
check_cond "new paths go to online CPUs ($cpus)" "$cpus" = "[0]"
check_refused "a path on the offline CPU" "CPU.*online" \
	srv "$SILKCTL" path add udp port 7006 cpu 1

online 1
check_cond "CPU 1 comes back" "$?" = 0
srv python3 "$HELPERS/udp.py" sink 0.0.0.0 7001 --rcvbuf 33554432 \
	--idle $((3 * SLOW)) >"$TMP/sink2.json" &
sink=$!
listening 7001 udp
cli python3 "$HELPERS/udp.py" send 10.0.0.2 7001 --count 2000 --rate 2000 >/dev/null
wait $sink
check_cond "the path delivers after: $(jq .intact "$TMP/sink2.json") of 2000" \
	"$(jq .intact "$TMP/sink2.json")" = 2000
aff=$(taskset -cp "$worker" 2>&1 | sed 's/.*: //')
check_cond "its worker is bound to CPU 1 again (affinity $aff)" "$aff" = 1
check_cond "and runs there ($(ps -o psr= -p "$worker" | tr -d ' '))" \
	"$(ps -o psr= -p "$worker" | tr -d ' ')" = 1

finish
