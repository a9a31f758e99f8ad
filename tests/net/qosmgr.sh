#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# qosmgr (issue 6; Zhang et al. figures 5 and 6): one server whose capacity
# is the bottleneck (tests/helpers/capserver.py, round-robin over its
# ports) serves basic clients on 9100 and premium clients on 9101. qosmgr
# holds the premium class's mean connection delay at its set point by
# driving the basic class's accept rate.
#  - under a step in premium load, the premium delay returns to within 20%
#    of the set point within the settling time (the daemon), and to at
#    most half as far from it as the same load's delay with nothing
#    controlling it;
#  - --once decisions, repeated, do the same; --dry-run changes nothing;
#  - bad configurations are refused with a message.
source "$(dirname "$0")/../lib.sh"
plan 20
QM=$ROOT/tools/qosmgr
SET=100	# ms
SETTLE=20	# s, documented in docs/silk.rst

silk_load || { fail "silk loads"; finish; }
setup_pair
sc() { srv "$SILKCTL" "$@"; }
check "meter on" sc meter on
check "group add basic rate 60 port 9100" sc group add basic rate 60 port 9100
cat >"$TMP/qm.conf" <<EOF
# premium delay at $SET ms through the basic accept rate
interval 0.5
port 9101
setpoint $SET
group basic
min 1
max 60
kp 100
ki 300
EOF

srv python3 "$HELPERS/capserver.py" 100 600 9100 9101 >"$TMP/cap.out" &
poll 10 grep -q ready "$TMP/cap.out"
# clients PORT CONNS SECS
clients() {
	cli wrk -t 1 -c "$2" -d "$3" --timeout 30s -H "Connection: close" \
		"http://10.0.0.2:$1/" >/dev/null 2>&1 &
}
# delay_over SECS: the premium port's mean delay (ms) over the next SECS.
delay_over() {
	local a b
	a=$(srv "$NETMETER" -j -p 9101 ports | jq -c '.ports[0] | [.accepted, .delay_sum_ns]')
	sleep "$1"
	b=$(srv "$NETMETER" -j -p 9101 ports | jq -c '.ports[0] | [.accepted, .delay_sum_ns]')
	jq -n --argjson a "$a" --argjson b "$b" \
		'if $b[0] > $a[0] then (($b[1] - $a[1]) / ($b[0] - $a[0]) / 1e6 | floor) else -1 end'
}
within() { awk -v d="$1" -v s="$SET" 'BEGIN { print (d >= 0.8 * s && d <= 1.2 * s) }'; }
# closer D: D is at most half as far from the set point as $uncontrolled,
# the same load's delay with nothing controlling it (142 ms against 100 in
# docs/bench/zhang_qos.md, 97 with qosmgr). A qosmgr that changes nothing
# leaves the delay where it was, which the 20% band alone might let pass.
closer() {
	awk -v d="$1" -v u="$uncontrolled" -v s="$SET" 'BEGIN {
		e = d - s; f = u - s
		print (d >= 0 && u >= 0 && (e < 0 ? -e : e) <= (f < 0 ? -f : f) / 2) }'
}

# in_band WHAT D RATE: D within 20% of the set point; a SKIP when the set
# point is out of reach: D above the band with the basic class at its
# floor (min 1), so that the premium clients alone keep the server busier
# than the set point allows (the debug kernel: 184 ms). qosmgr did all it
# could then; closer() still checks that it did.
in_band() {
	if [ "$(within "$2")" != 1 ] &&
	   awk -v d="$2" -v s="$SET" -v r="$3" 'BEGIN { exit !(d > 1.2 * s && r <= 1) }'; then
		skip "$1" "out of reach on this kernel: $2 ms with the basic class at its floor"
	else
		check_cond "$1" "$(within "$2")" = 1
	fi
}

# Bad configurations.
badconf() { # DESC REASON CONFIG
	printf '%b' "$3" >"$TMP/bad.conf"
	check_refused "qosmgr: $1" "$2" srv "$QM" -c "$TMP/bad.conf" --once --dry-run
}
badconf "an unknown setting" 'unknown setting "gain"' \
	"port 9101\nsetpoint 100\ngroup basic\nkp 1\nki 1\ngain 3\n"
badconf "a missing set point" "are required" "port 9101\ngroup basic\nkp 1\nki 1\n"
badconf "port 0" 'invalid port "0"' "port 0\nsetpoint 100\ngroup basic\nkp 1\nki 1\n"
badconf "min above max" "min is above max" \
	"port 9101\nsetpoint 100\ngroup basic\nkp 1\nki 1\nmin 10\nmax 5\n"
badconf "an unknown group" "no group of that name" "port 9101\nsetpoint 100\ngroup nosuch\nkp 1\nki 1\n"
check "group add mix ratio port 9200 weight 1 port 9201 weight 1" \
	sc group add mix ratio port 9200 weight 1 port 9201 weight 1
badconf "a group that is not a rate group" "not an accept-rate group" \
	"port 9101\nsetpoint 100\ngroup mix\nkp 1\nki 1\n"
sc group del mix

# Nothing controlling first: the load after the step below (6 premium
# clients, 16 basic), the basic class at its full rate, qosmgr not
# running. Then the 4 extra premium clients end (15 s: the 9 s measured
# and the reads' time on a slow kernel).
clients 9100 16 200
clients 9101 2 200
clients 9101 4 15
extra=$!
sleep 3
uncontrolled=$(delay_over 6)
log "premium (6 clients) with nothing controlling: $uncontrolled ms; basic rate $(sc -j group show basic | jq '.[0].rate')"
wait "$extra"

# Daemon: light premium load, then a step.
# Not through srv(): $! must be qosmgr itself (ip netns exec execs it).
ip netns exec srv "$QM" -c "$TMP/qm.conf" -j >"$TMP/qm.log" 2>"$TMP/qm.err" &
qpid=$!
sleep 8
before=$(delay_over 4)
log "premium (2 clients) with qosmgr: $before ms; basic rate $(sc -j group show basic | jq '.[0].rate')"
clients 9101 4 200
log "step: premium clients 2 -> 6"
sleep "$SETTLE"
after=$(delay_over 6)
rate=$(sc -j group show basic | jq '.[0].rate')
log "premium (6 clients) $SETTLE s after the step: $after ms; basic rate $rate"
in_band "after the step the premium delay is within 20% of $SET ms ($after)" \
	"$after" "$rate"
check_cond "after the step the premium delay is at most half as far from $SET ms as with nothing controlling ($after vs $uncontrolled ms)" \
	"$(closer "$after")" = 1
check_cond "the basic class was throttled for it (rate $rate < 60)" \
	"$(awk -v r="$rate" 'BEGIN { print (r < 60) }')" = 1
kill "$qpid"
wait "$qpid" 2>/dev/null
check_cond "qosmgr logged its decisions" "$(grep -c '"rate"' "$TMP/qm.log")" -ge 20
cp "$TMP/qm.log" "${SILK_VM_OUT:-$TMP}/qosmgr.jsonl" 2>/dev/null

# --dry-run: decides, changes nothing.
check "group change basic rate 60" sc group change basic rate 60
srv "$QM" -c "$TMP/qm.conf" --once --dry-run >"$TMP/dry.out" 2>&1
log "$(cat "$TMP/dry.out")"
check_cond "--dry-run decides and changes nothing" \
	"$(sc -j group show basic | jq '.[0].rate'):$(grep -c 'dry run' "$TMP/dry.out")" = "60:1"

# --once, step by step, from the same start.
for _ in $(seq 40); do
	srv "$QM" -c "$TMP/qm.conf" --once >>"$TMP/once.out" 2>&1 || break
done
tail -n 3 "$TMP/once.out" | sed 's/^/# /'
after=$(delay_over 5)
rate=$(sc -j group show basic | jq '.[0].rate')
log "after 40 --once decisions: premium $after ms, basic rate $rate"
in_band "--once decisions bring the premium delay within 20% of $SET ms ($after)" \
	"$after" "$rate"
check_cond "--once decisions bring it at most half as far from $SET ms as with nothing controlling ($after vs $uncontrolled ms)" \
	"$(closer "$after")" = 1

finish
