#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Socket groups (issue 6): accept rate and accept ratio on nginx (8080,
# 8081) under wrk, each connection one request.
#  - an accept rate of R connections/s holds wrk to R (within 10%), with no
#    connection lost; the wait shows in the sensors; a new rate applies at
#    once;
#  - an accept ratio of 1:3 holds the accepts of two loaded ports to 1:3
#    (within 10%); a port alone gets the server;
#  - a listener that starts after the group is taken; one that closes with
#    connections held gets them back; deleting the group and unloading
#    silk make held connections acceptable;
#  - bad groups refused with a message and nothing changed; unprivileged
#    users refused.
source "$(dirname "$0")/../lib.sh"
plan 58

silk_load || { fail "silk loads"; finish; }
setup_pair
nginx_start -w 2 -c 4096 -b 4096 8080 8081
listening 8081

sc() { srv "$SILKCTL" "$@"; }
gacc() { sc -j group show "$1" | jq ".[0].ports[] | select(.port == $2) | .accepted"; }
# wrk PORT SECS CONNS: "requests errors" of a run, a new connection each.
load() {
	cli wrk -t 1 -c "$3" -d "$2" --timeout 20s -H "Connection: close" \
		"http://10.0.0.2:$1/" >"$TMP/wrk.$1" 2>&1
	awk '/requests in/ { r = $1 } /Socket errors/ { e = 1 }
	     /Non-2xx/ { e = 1 } END { print r, e + 0 }' "$TMP/wrk.$1"
}

check "meter on" sc meter on

# Unconstrained rate, for the work-conserving check.
read -r free _ < <(load 8080 3 8)
log "no group: $free connections in 3 s"

# Accept rate.
check "group add basic rate 20 port 8080" sc group add basic rate 20 port 8080
load 8080 6 16 >"$TMP/load.20" &
lpid=$!
# The delay sensor's last interval while connections wait, not after: the
# longest seen while the load runs (one read at 4 s saw 0 ms on the
# debug kernel, where the load starts late).
delay=0
while kill -0 "$lpid" 2>/dev/null; do
	d=$(srv "$NETMETER" -j -p 8080 ports | jq '.ports[0].kernel_delay_ms // 0')
	delay=$(echo "$d $delay" | awk '{ print ($1 > $2 ? $1 : $2) }')
	sleep 0.5
done
wait "$lpid"
read -r n err <"$TMP/load.20"
rate=$(echo "$n" | awk '{ printf "%.1f", $1 / 6 }')
log "rate 20: $n connections in 6 s ($rate/s)"
check_cond "accept rate 20/s: wrk gets 18..22/s ($rate)" \
	"$(awk -v r="$rate" 'BEGIN { print (r >= 18 && r <= 22) }')" = 1
check_cond "rate 20/s: no connection lost" "$err" = 0
check_cond "connections had to wait (hidden)" \
	"$(sc -j group show basic | jq '.[0].hidden > 0')" = true
log "mean wait handshake->accept over the last interval: $delay ms"
check_cond "the wait shows in the delay sensor (> 100 ms)" \
	"$(echo "$delay" | awk '{ print ($1 > 100) }')" = 1

check "group change basic rate 50" sc group change basic rate 50
read -r n err < <(load 8080 5 16)
rate=$(echo "$n" | awk '{ printf "%.1f", $1 / 5 }')
log "rate 50: $n connections in 5 s ($rate/s)"
# A rate the machine cannot serve is no test of the limit: 60/s (50 and
# a fifth) unconstrained at least (the debug kernel: 55/s).
if awk -v f="$free" 'BEGIN { exit !(f / 3 >= 60) }'; then
	check_cond "after the change, 45..55/s ($rate)" \
		"$(awk -v r="$rate" 'BEGIN { print (r >= 45 && r <= 55) }')" = 1
else
	skip "after the change, 45..55/s ($rate)" \
		"the server takes only $free connections in 3 s with no group"
fi
check_cond "rate 50/s: no connection lost" "$err" = 0

# Held connections become acceptable when the group goes.
check "group change basic rate 0.2" sc group change basic rate 0.2
for i in $(seq 6); do
	cli curl -s -o /dev/null -w '%{http_code}\n' --max-time 20 \
		http://10.0.0.2:8080/ >"$TMP/held.$i" &
done
poll 10 eval '[ "$(sc -j group show basic | jq ".[0].held")" -ge 4 ]'
held=$(sc -j group show basic | jq '.[0].held')
check_cond "a slow group holds connections ($held)" "$held" -ge 4
check_cond "they count as waiting" \
	"$(srv "$NETMETER" -j -p 8080 ports | jq '.ports[0].waiting')" -ge 4
check "group del basic" sc group del basic
sleep 1
check_cond "deleting the group lets all six through" \
	"$(cat "$TMP"/held.* | grep -c 200)" = 6

# Accept ratio, where the server's capacity (100 accepts/s, round-robin
# over its ports) is the bottleneck and both ports always have demand.
# capacity SECS: "accepts-9100 accepts-9101 wrk-errors".
capacity() {
	srv python3 "$HELPERS/capserver.py" --grace $((3 * SLOW)) 100 "$1" 9100 9101 \
		>"$TMP/cap.out" &
	local spid=$! p
	poll 10 grep -q ready "$TMP/cap.out"
	for p in 9100 9101; do
		load "$p" "$1" 16 >"$TMP/cap.$p" &
	done
	wait $spid
	sleep 1
	sed -n 2p "$TMP/cap.out" | jq -r '"\(.["9100"]) \(.["9101"])"' | tr '\n' ' '
	cat "$TMP/cap.9100" "$TMP/cap.9101" | awk '{ e += $2 } END { print e }'
}
read -r a b _ < <(capacity 4)
log "no group, both ports loaded: 9100 $a, 9101 $b"
check_cond "without a group the server takes them 1:1 (9101/9100 < 1.5: $b/$a)" \
	"$(awk -v a="$a" -v b="$b" 'BEGIN { print (a > 0 && b / a < 1.5) }')" = 1
check "group add cap ratio 9100:1 9101:3" \
	sc group add cap ratio port 9100 weight 1 port 9101 weight 3
read -r a b err < <(capacity 6)
log "ratio 1:3, both ports loaded: 9100 $a, 9101 $b"
check_cond "9101/9100 within 10% of 3 ($b/$a)" \
	"$(awk -v a="$a" -v b="$b" 'BEGIN { print (a > 0 && b / a >= 2.7 && b / a <= 3.3) }')" = 1
check_cond "ratio: no connection lost" "$err" = 0
check "group del cap" sc group del cap

# A ratio group where the server keeps up: nothing is held back.
check "group add mix ratio 8080:1 8081:3" \
	sc group add mix ratio port 8080 weight 1 port 8081 weight 3
read -r alone _ < <(load 8080 3 8)
log "8080 alone in the ratio group: $alone connections in 3 s (no group: $free)"
check_cond "a port alone is not held back (>= 60% of no group)" \
	"$(awk -v a="$alone" -v f="$free" 'BEGIN { print (a >= 0.6 * f) }')" = 1
check "group change mix port 8081 weight 1" sc group change mix port 8081 weight 1
check_cond "the new weight shows" \
	"$(sc -j group show mix | jq '.[0].ports[] | select(.port == 8081) | .weight')" = 1
check "group del mix" sc group del mix

# Listeners that start after the group; one that closes holding some.
check "group add late rate 1 port 9000" sc group add late rate 1 port 9000
srv python3 -c '
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", 9000))
s.listen(16)
time.sleep(4 * '"$SLOW"')
s.close()
time.sleep(1)
' &
spid=$!
listening 9000
for i in 1 2 3 4; do
	cli python3 -c '
import socket, time
s = socket.create_connection(("10.0.0.2", 9000))
time.sleep(6 * '"$SLOW"')
' 2>/dev/null &
done
# Python starts slowly on a busy machine: the four connect first.
poll $((10 * SLOW)) established cli '( dport = :9000 )' 4
poll 3 eval '[ "$(sc -j group show late | jq ".[0].hidden")" -ge 3 ]'
check_cond "a listener that started later is held ($(sc -j group show late | jq -c '.[0] | [.held, .hidden]'))" \
	"$(sc -j group show late | jq '.[0].hidden')" -ge 3
wait $spid
check_cond "closing it gave back what was held" \
	"$(sc -j group show late | jq '.[0].held')" = 0
check_cond "and nothing is left on 9000" \
	"$(srv ss -Htn state all '( sport = :9000 )' | grep -vc TIME-WAIT)" = 0
check "group del late" sc group del late

# Bad groups: refused with a message, nothing changed.
sc group add keep rate 5 port 8082 >/dev/null
bad() { local desc=$1 reason=$2; shift 2; check_refused "$desc" "$reason" srv "$SILKCTL" "$@"; }
bad "rate 0" 'invalid rate "0"' group add x rate 0 port 8080
bad "rate -1" 'invalid rate "-1"' group add x rate -1 port 8080
bad "no port" "at least one port" group add x rate 5
bad "port 0" 'invalid port "0"' group add x rate 5 port 0
bad "port 70000" 'invalid port "70000"' group add x rate 5 port 70000
bad "a port twice" "appears twice" group add x rate 5 port 8080 port 8080
bad "a port in another group" "another group|already in" group add x rate 5 port 8082
bad "a name in use" "exists|in use" group add keep rate 5 port 8083
bad "ratio with one port" "at least two ports" group add x ratio port 8080 weight 1
bad "ratio without weights" "needs a weight" group add x ratio port 8080 port 8081
bad "ratio with a rate" "weights, not a rate" \
	group add x ratio rate 5 port 8080 weight 1 port 8081 weight 1
bad "weight on a rate group" "only the ports of an accept-ratio group" \
	group add x rate 5 port 8080 weight 2
bad "weight 0" 'invalid weight "0"' group add x ratio port 8080 weight 0 port 8081 weight 1
bad "unknown type" 'invalid group type "burst"' group add x burst port 8080
bad "name too long" "invalid group name" \
	group add abcdefghijklmnopqrstuvwxyz0123456 rate 5 port 8080
bad "change an unknown group" "no group of that name" group change nosuch rate 5
bad "change a port not in the group" "not in the group" group change keep port 8080 weight 2
bad "change with nothing" "nothing to change" group change keep
bad "delete an unknown group" "no group of that name" group del nosuch
check_nl_refused "type 9" "" srv GROUP_NEW GROUP_A_NAME=str:y GROUP_A_TYPE=u8:9
# A port's attribute at the group's level is no port (its number is the
# name's there): the group has none.
check_nl_refused "a port outside SILK_GROUP_A_PORTS" "" srv \
	GROUP_NEW GROUP_A_NAME=str:y GROUP_A_TYPE=u8:0 GROUP_A_ACCEPT_RATE_MILLI=u64:1000 \
	GPORT_A_PORT=u16:80
check_nl_refused "a path's priority inside a group port" "Unknown attribute type" srv \
	GROUP_NEW GROUP_A_NAME=str:y GROUP_A_TYPE=u8:0 GROUP_A_ACCEPT_RATE_MILLI=u64:1000 \
	'GROUP_A_PORTS={1={GPORT_A_PORT=u16:80,PATH_A_PRIO=u8:1}}'
check_refused "unprivileged: group add" "not permitted" \
	srv setpriv --reuid=nobody --regid=nogroup --clear-groups \
	"$SILKCTL" group add u rate 5 port 8090

# The port maps go with the last group and come back with the next, while
# connections are accepted (under KASAN a map freed under a reader shows).
load 8080 8 8 >"$TMP/load.churn" &
lp=$!
n=0
for _ in $(seq 20); do
	sc group add churn rate 1000 port 8080 >/dev/null &&
		sc group del churn >/dev/null && n=$((n + 1))
done
wait $lp
read -r reqs errs <"$TMP/load.churn"
check_cond "20 groups made and deleted ($n) under load ($reqs requests, errors: $errs)" \
	"$n" = 20 -a "${reqs:-0}" -gt 0 -a "$errs" = 0

# Unloading silk makes what it holds acceptable.
check "group add slow rate 0.1 port 8081" sc group add slow rate 0.1 port 8081
for i in 1 2 3 4; do
	cli curl -s -o /dev/null -w '%{http_code}\n' --max-time 20 \
		http://10.0.0.2:8081/ >"$TMP/unl.$i" &
done
# The curls connect in their own time (on the debug kernel, after 2 s).
held() { [ "$(sc -j group show slow | jq '.[0].held')" -ge 2 ]; }
poll 10 held
check_cond "connections held before rmmod" \
	"$(sc -j group show slow | jq '.[0].held')" -ge 2
check "rmmod silk with connections held" rmmod silk
sleep 1
check_cond "after rmmod all four were served" \
	"$(cat "$TMP"/unl.* | grep -c 200)" = 4

finish
