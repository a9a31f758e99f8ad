# SPDX-License-Identifier: GPL-2.0
#
# Helpers for silk's VM tests (tests/net/*.sh), in the style of
# tools/testing/selftests/net: network namespaces and veth set up and torn
# down by the test, one line per check:
#
#   PASS: what was checked
#   FAIL: what was checked
#   #     details
#
# tests/run counts those lines. A test ends with 'finish', which unloads
# silk (itself a check) and exits non-zero if any check failed.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SILKCTL=$ROOT/tools/silkctl
NETMETER=$ROOT/tools/netmeter
HELPERS=$ROOT/tests/helpers
# How many times slower than the stock kernel the kernel under test is:
# bounds that catch hangs, not speeds, are scaled by it (check-debug: 5).
SLOW=${SILK_SLOW:-1}
# A path class that keeps a backlog on any machine: after its first burst
# the worker waits 10 s for the next microsecond of budget.
THROTTLED="class edf deadline 10s runtime 1us"
# kasan: the kernel under test has KASAN (its quarantine delays frees).
kasan() { dmesg | grep -q 'KernelAddressSanitizer initialized'; }

# poll SECS CMD...: CMD every 0.2 s until it succeeds, for at most SECS
# (times SLOW) seconds; a fixed sleep would guess the machine's speed.
poll() {
	local end=$(($(date +%s) + $1 * SLOW))

	shift
	until "$@"; do
		[ "$(date +%s)" -ge "$end" ] && return 1
		sleep 0.2
	done
}

# listening PORT [tcp|udp [NETNS]]: a server in NETNS (srv) has bound PORT
# (TCP: listens), within 10 s (times SLOW). Servers take seconds to start
# on a slow kernel.
listening() {
	local opts=-Hltn

	[ "${2:-}" = udp ] && opts=-Hlun
	poll 10 eval "ip netns exec ${3:-srv} ss $opts 'sport = :$1' | grep -q ."
}

NFAIL=0
NPASS=0
TMP=$(mktemp -d /tmp/silktest.XXXXXX)

log() { echo "# $*"; }

pass() {
	NPASS=$((NPASS + 1))
	echo "PASS: $*"
}

fail() {
	NFAIL=$((NFAIL + 1))
	echo "FAIL: $*"
}

# check DESC CMD...: CMD must succeed.
check() {
	local desc=$1
	shift
	if "$@" >"$TMP/check.out" 2>&1; then
		pass "$desc"
	else
		fail "$desc"
		sed 's/^/#   /' "$TMP/check.out" | head -n 20
	fi
}

# check_cond DESC EXPR...: a test(1) expression, shown on failure.
check_cond() {
	local desc=$1
	shift
	if [ "$@" ]; then
		pass "$desc"
	else
		fail "$desc"
		echo "#   [ $* ] is false"
	fi
}

silk_load() {
	modprobe nf_defrag_ipv6 || return 1
	insmod "$ROOT/silk.ko" "$@"
}

srv() { ip netns exec srv "$@"; }
cli() { ip netns exec cli "$@"; }

# Two namespaces joined by veth: cli (va: 10.0.0.1, fd00::1) and
# srv (vb: 10.0.0.2, fd00::2). silk is configured in srv.
setup_pair() {
	# Let test receivers ask for big buffers (SO_RCVBUF is capped by it).
	sysctl -qw net.core.rmem_max=67108864 net.core.wmem_max=67108864
	ip netns add cli || return 1
	ip netns add srv || return 1
	ip link add va netns cli type veth peer name vb netns srv || return 1
	ip -n cli addr add 10.0.0.1/24 dev va
	ip -n srv addr add 10.0.0.2/24 dev vb
	ip -n cli addr add fd00::1/64 dev va nodad
	ip -n srv addr add fd00::2/64 dev vb nodad
	ip -n cli link set lo up
	ip -n srv link set lo up
	ip -n cli link set va up
	ip -n srv link set vb up
}

# add_peer NS DEV ADDR PEERNS PEERDEV PEERADDR: a new namespace NS joined to
# PEERNS by veth DEV-PEERDEV (ADDR, PEERADDR with their prefix lengths).
add_peer() {
	ip netns add "$1" || return 1
	ip link add "$2" netns "$1" type veth peer name "$5" netns "$4" || return 1
	ip -n "$1" addr add "$3" dev "$2"
	ip -n "$4" addr add "$6" dev "$5"
	ip -n "$1" link set lo up
	ip -n "$1" link set "$2" up
	ip -n "$4" link set "$5" up
}

cleanup() {
	local pids
	pids=$(jobs -p)
	[ -n "$pids" ] && kill $pids 2>/dev/null
	pkill -f "$HELPERS/" 2>/dev/null
	for ns in $(ip netns list | awk '{print $1}'); do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null
		ip netns del "$ns" 2>/dev/null
	done
	wait 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT

# path_stat NETNS ID FIELD: one counter of one path.
path_stat() {
	ip netns exec "$1" "$SILKCTL" -j -s path show id "$2" | jq -r ".[0].stats.$3"
}

# drained NETNS ID...: the paths' queues are empty, each within 60 s (times
# SLOW).
drained() {
	local ns=$1 id

	shift
	for id in "$@"; do
		poll 60 eval '[ "$(path_stat "$ns" "$id" qlen)" = 0 ]' || return 1
	done
}

# nft_count NETNS TABLE COUNTER: packets a named counter saw.
nft_count() {
	ip netns exec "$1" nft -j list counter inet "$2" "$3" |
		jq -r '.nftables[] | select(.counter) | .counter.packets'
}

# acked NETNS FILTER: "peer bytes" for each established TCP connection that
# matches the ss FILTER, bytes being what its client has acknowledged
# (tcp_info's bytes_acked).
acked() {
	ip netns exec "$1" ss -tinH state established "$2" |
		awk '/^[0-9]/ { peer = $4 } /bytes_acked:/ {
			match($0, /bytes_acked:[0-9]+/)
			print peer, substr($0, RSTART + 12, RLENGTH - 12) }'
}

# acked_rate NETNS FILTER SECS: bytes/s those connections got together over
# one window of SECS seconds, the same for all (clients' own totals span
# their staggered starts); what each got in it goes to $TMP/acked.each.
acked_rate() {
	local t0 t1

	t0=$(date +%s%N)
	acked "$1" "$2" >"$TMP/acked.0"
	sleep "$3"
	t1=$(date +%s%N)
	acked "$1" "$2" >"$TMP/acked.1"
	awk 'NR == FNR { b0[$1] = $2; next } ($1 in b0) { print $2 - b0[$1] }' \
		"$TMP/acked.0" "$TMP/acked.1" >"$TMP/acked.each"
	awk -v dt=$((t1 - t0)) '{ s += $1 } END { printf "%d\n", s * 1e9 / dt }' \
		"$TMP/acked.each"
}

# jain FILE: Jain's fairness index of the numbers in FILE (1 is even).
jain() {
	awk '{ s += $1; q += $1 * $1 } END { printf "%.3f", q ? s * s / (NR * q) : 0 }' "$1"
}

# established NETNS FILTER N: N connections match.
established() {
	[ "$(ip netns exec "$1" ss -tnH state established "$2" | wc -l)" -ge "$3" ]
}

# wait_established NETNS FILTER N: until N connections match (10 s at most).
wait_established() { poll 10 established "$@"; }

# preempt_rt: is the running kernel PREEMPT_RT?
preempt_rt() { uname -v | grep -q PREEMPT_RT; }

# Keep a CPU busy at nice -20 so that silk's worker there (nice 0) gets
# about 1% of it: the worker becomes the bottleneck, the rest of the
# system keeps its share. Prints the hog's pid.
starve_cpu() {
	taskset -c "$1" nice -n -20 sh -c 'while :; do :; done' >/dev/null 2>&1 &
	echo $!
}

# check_refused DESC CMD...: CMD must fail, and say why ("Error: ...").
check_refused() {
	local desc=$1
	shift
	if "$@" >"$TMP/refused.out" 2>&1; then
		fail "refused: $desc"
	elif grep -q '^Error: ' "$TMP/refused.out"; then
		pass "refused: $desc ($(head -n 1 "$TMP/refused.out"))"
	else
		fail "refused with a message: $desc"
		sed 's/^/#   /' "$TMP/refused.out"
	fi
}

# A state listing that must not change when a request is refused.
snapshot() {
	ip netns exec "$1" "$SILKCTL" -j path show | jq -S .
}

finish() {
	cleanup
	trap - EXIT
	# What the test needed of the kernel, for the debug kernel's config.
	[ -n "${SILK_VM_OUT:-}" ] && lsmod >"$SILK_VM_OUT/lsmod" 2>/dev/null
	if lsmod | grep -q '^silk '; then
		# Memory: what silk ever held queued, against its cap.
		local st peak cap
		st=$("$SILKCTL" -j stats 2>/dev/null)
		peak=$(echo "$st" | jq .global_queued_peak)
		cap=$(echo "$st" | jq .global_cap_bytes)
		if [ -n "$peak" ] && [ -n "$cap" ]; then
			if [ "$peak" -le "$cap" ]; then
				pass "queued bytes stayed under the cap (peak $peak of $cap)"
			else
				fail "queued bytes stayed under the cap (peak $peak of $cap)"
			fi
		fi
		if rmmod silk; then
			pass "silk unloads cleanly"
		else
			fail "silk unloads cleanly"
		fi
	fi
	echo "# $NPASS passed, $NFAIL failed"
	[ "$NFAIL" = 0 ]
	exit $?
}
