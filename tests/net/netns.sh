#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Per-namespace state: paths of one namespace are invisible to and
# unaffected by another; a namespace without paths has no silk hook and
# no silk threads (it costs nothing); the first path brings them up, the
# last one's deletion takes them down.
# vm: shares the machine (no check depends on timing: what each namespace sees)
source "$(dirname "$0")/../lib.sh"
plan 30

silk_load || { fail "silk loads"; finish; }
setup_pair

# Permanent neighbours: no neighbour discovery packets to be counted.
ip -n cli neigh replace fd00::2 dev va nud permanent \
	lladdr "$(ip -n srv -j link show vb | jq -r '.[0].address')"
ip -n srv neigh replace fd00::1 dev vb nud permanent \
	lladdr "$(ip -n cli -j link show va | jq -r '.[0].address')"
T=/sys/kernel/tracing
echo 'silk_hook4 silk_hook6' >$T/set_ftrace_filter
echo function >$T/current_tracer
# hook_calls NETNS: how often silk's hooks ran while 100 IPv4 and 100 IPv6
# datagrams (to port 9, no path) arrived in NETNS.
hook_calls() {
	local to4=10.0.0.2 to6=fd00::2 from=cli
	[ "$1" = cli ] && { to4=10.0.0.1; to6=fd00::1; from=srv; }
	echo >$T/trace
	ip netns exec $from python3 "$HELPERS/udp.py" send $to4 9 --count 100 >/dev/null
	ip netns exec $from python3 "$HELPERS/udp.py" send $to6 9 --count 100 >/dev/null
	grep -c 'silk_hook[46]' $T/trace
}
workers() { pgrep -c "^silk/" || true; }
# Listeners on port 9, so that no ICMP error comes back to be counted.
for ns in srv cli; do
	ip netns exec $ns python3 "$HELPERS/udp.py" sink :: 9 --first 600 \
		--idle 600 >/dev/null &
done
sleep 1

check_cond "silk's hook never runs in a namespace without paths" "$(hook_calls srv)" = 0
check_cond "no silk threads without paths" "$(workers)" = 0
check "path add in srv" srv "$SILKCTL" path add udp port 5001 cpu 0
check_cond "with a path, silk's hooks see srv's IPv4 and IPv6 traffic" \
	"$(hook_calls srv)" -ge 200
# A stray multicast report reaching srv during the count is not cli's traffic.
n=$(hook_calls cli)
check_cond "...but still never run for cli's traffic ($n of 200, <= 2 strays)" "$n" -le 2
check_cond "one worker for the one CPU in use" "$(workers)" = 1

check "the same binding in cli is a different path" \
	cli "$SILKCTL" path add udp port 5001 cpu 1 name mine
check_cond "cli sees only its own path" \
	"$(cli "$SILKCTL" -j path show | jq -r '[.[].name] | join(",")')" = mine
check_cond "srv sees only its own path" "$(srv "$SILKCTL" -j path show | jq length)" = 1
check_cond "path ids are per namespace" \
	"$(cli "$SILKCTL" -j path show | jq '.[0].id')" = 1
out=$(cli "$SILKCTL" path del id 1 2>&1 && cli "$SILKCTL" path add udp port 5001 cpu 1 name mine)
check_cond "deleting in cli left srv's path" "$(srv "$SILKCTL" -j path show | jq length)" = 1
check_cond "workers of both namespaces run" "$(workers)" = 2

# Traffic in each direction is counted only by the receiving namespace.
srv python3 "$HELPERS/udp.py" sink 0.0.0.0 5001 --count 300 >/dev/null &
a=$!
cli python3 "$HELPERS/udp.py" sink 0.0.0.0 5001 --count 200 >/dev/null &
b=$!
sleep 1
cli python3 "$HELPERS/udp.py" send 10.0.0.2 5001 --count 300 --rate 1000 >/dev/null
srv python3 "$HELPERS/udp.py" send 10.0.0.1 5001 --count 200 --rate 1000 >/dev/null
wait $a $b
check_cond "srv's path counted srv's 300 datagrams" \
	"$(srv "$SILKCTL" -j -s path show | jq '.[0].stats.delivered_pkts')" = 300
check_cond "cli's path counted cli's 200 datagrams" \
	"$(cli "$SILKCTL" -j -s path show | jq '.[0].stats.delivered_pkts')" = 200

check "delete cli's path" cli "$SILKCTL" path del udp port 5001
check_cond "srv stays hooked while it has a path" "$(hook_calls srv)" -ge 200
check "delete srv's last path" srv "$SILKCTL" path del udp port 5001
check_cond "srv's hooks are gone with its last path" "$(hook_calls srv)" = 0
check_cond "the workers are gone" "$(workers)" = 0
check_cond "srv's stats show no paths" "$(srv "$SILKCTL" -j stats | jq .paths)" = 0

# Many paths: a thousand ports come and go cleanly.
for p in $(seq 20001 21000); do echo "path add tcp port $p"; done >"$TMP/batch"
check "a thousand paths by batch" srv "$SILKCTL" -b "$TMP/batch"
check_cond "a thousand paths listed" "$(srv "$SILKCTL" -j path show | jq length)" = 1000
sed 's/add/del/' "$TMP/batch" >"$TMP/batch.del"
check "and deleted by batch" srv "$SILKCTL" -b "$TMP/batch.del"
check_cond "none left, no hook left" "$(srv "$SILKCTL" -j path show | jq length):$(hook_calls srv)" = "0:0"

# A namespace deleted with paths cleans up after itself.
check "path add in cli" cli "$SILKCTL" path add udp port 5001 cpu 1
check_cond "its worker runs" "$(workers)" = 1
ip netns pids cli | xargs -r kill
ip netns del cli
for _ in $(seq 50); do [ "$(workers)" = 0 ] && break; sleep 0.2; done
check_cond "a deleted namespace's workers exit" "$(workers)" = 0

echo nop >$T/current_tracer
echo >$T/set_ftrace_filter
finish
