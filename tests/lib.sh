# SPDX-License-Identifier: GPL-2.0
#
# Helpers for silk's VM tests (tests/net/*.sh), in the style of
# tools/testing/selftests/net: network namespaces and veth set up and torn
# down by the test, one line per check:
#
#   1..N            the plan: the test runs N checks ('plan N', first)
#   PASS: what was checked
#   FAIL: what was checked
#   SKIP: what was not checked (why)
#   #     details
#
# tests/run counts those lines and judges the run (tests/vm/verdict): it
# passes only if it exited 0 and ran exactly its plan. A test ends with
# 'finish', which tears the namespaces down and waits for their devices to
# go, unloads silk (each a check) and exits non-zero if any check failed.
# A test whose premise is missing calls 'skip_test WHY' (exit 4, kselftest's
# KSFT_SKIP).

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
NSKIP=0
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

# plan N: the test runs N checks (PASS, FAIL and SKIP lines together,
# finish's own included). Called first; tests/run fails a test that ran
# another number.
plan() {
	echo "1..$1"
}

# skip DESC WHY: a check whose premise is missing on this machine.
skip() {
	NSKIP=$((NSKIP + 1))
	echo "SKIP: $1 ($2)"
}

# skip_test WHY: the whole test's premise is missing: tear down, exit 4.
skip_test() {
	echo "SKIP: $(basename "$0" .sh): $*"
	cleanup
	trap - EXIT
	lsmod | grep -q '^silk ' && rmmod silk
	exit 4
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

# silk_ko: the silk.ko built for the booted kernel: $SILK_KO, the tree's
# own, or tests/run's build for another kernel (.build/KVER/silk.ko).
silk_ko() {
	local ko

	for ko in ${SILK_KO:-} "$ROOT/silk.ko" "$ROOT/.build/$(uname -r)/silk.ko"; do
		if [ "$(modinfo -F vermagic "$ko" 2>/dev/null | cut -d' ' -f1)" = "$(uname -r)" ]; then
			echo "$ko"
			return 0
		fi
	done
	return 1
}

# silk_load [PARAM=VALUE...]: load the module built for the booted kernel
# (a module built for another one says so, not "Invalid module format"),
# with $SILK_MODPARAMS first (e.g. sockev_defer=1 for a whole run).
silk_load() {
	local ko

	modprobe nf_defrag_ipv6 || return 1
	if ! ko=$(silk_ko); then
		echo "# silk.ko is built for $(modinfo -F vermagic "$ROOT/silk.ko" 2>/dev/null |
			cut -d' ' -f1), the VM runs $(uname -r): make module for it"
		return 1
	fi
	# shellcheck disable=SC2086 # a list of PARAM=VALUE
	insmod "$ko" ${SILK_MODPARAMS:-} "$@"
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

# netns_del NS...: delete the namespaces and wait (60 s, times SLOW) until
# the kernel has unregistered their devices. 'ip netns del' only drops a
# name; the namespace goes later, from a work queue. Each gets a witness: a
# veth whose peer is in the initial namespace and vanishes with it. A device
# reference that is never put shows after this as 'unregister_netdevice:
# waiting for ...' (net.core.netdev_unregister_timeout_secs is 1 in the VM),
# which fails the run's kernel-log gate.
netns_del() {
	local ns w ws=()

	for ns in "$@"; do
		w=silkw$((${#ws[@]} + 1))
		ip link del "$w" 2>/dev/null
		if ip link add "$w" type veth peer name silkw netns "$ns" 2>/dev/null; then
			ws+=("$w")
		fi
		ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null
		ip netns del "$ns" || return 1
	done
	for w in "${ws[@]}"; do
		if ! poll 60 eval "! ip link show $w >/dev/null 2>&1"; then
			echo "# $w's namespace was not torn down within $((60 * SLOW)) s"
			return 1
		fi
	done
}

# tcp_left NS: NS has TCP connections other than TIME-WAIT ones (which go
# with it); listeners, silk's own included, close with their owners.
TCP_LEFT="state connected exclude time-wait exclude syn-recv"
tcp_left() { [ -n "$(ip netns exec "$1" ss -Htan $TCP_LEFT 2>/dev/null)" ]; }

# cleanup: stop the test's processes, delete every namespace and wait for
# them to go (fails if one stays).
cleanup() {
	local pids ns all status=0

	pids=$(jobs -p)
	[ -n "$pids" ] && kill $pids 2>/dev/null
	pkill -f "$HELPERS/" 2>/dev/null
	all=$(ip netns list | awk '{print $1}')
	for ns in $all; do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null
	done
	# A closed TCP socket still holds its namespace until its FIN is
	# answered, minutes when the peer's link went first: give the closes
	# a moment while every namespace is still there, then abort what is
	# left (SOCK_DESTROY).
	for ns in $all; do
		poll 2 eval "! tcp_left $ns"
		tcp_left "$ns" && ip netns exec "$ns" ss -K -ta $TCP_LEFT >/dev/null 2>&1
	done
	# shellcheck disable=SC2086
	netns_del $all || status=1
	wait 2>/dev/null
	rm -rf "$TMP"
	return $status
}
trap cleanup EXIT

# path_stat NETNS ID FIELD: one counter of one path.
path_stat() {
	ip netns exec "$1" "$SILKCTL" -j -s path show id "$2" | jq -r ".[0].stats.$3"
}

# path_id NETNS PORT: the id of NETNS's path on PORT.
path_id() {
	ip netns exec "$1" "$SILKCTL" -j path show | jq ".[] | select(.port == $2) | .id"
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
		awk 'function out() { if (peer != "") print peer, b }
			/^[0-9]/ { out(); peer = $4; b = 0 }
			/bytes_acked:/ {
				match($0, /bytes_acked:[0-9]+/)
				b = substr($0, RSTART + 12, RLENGTH - 12) }
			END { out() }'
}

# sending NETNS FILTER N: N matching connections have had data acknowledged
# (a transfer has started on each, not only its handshake).
sending() { [ "$(acked "$1" "$2" | awk '$2 > 0' | wc -l)" -ge "$3" ]; }

# nft_burn N: N nftables rules in srv's prerouting after silk's hook
# (priority -150), which the worker runs for every packet it reinjects:
# packets as expensive as a test needs.
nft_burn() {
	local i
	{
		echo "table inet burn { chain c { type filter hook prerouting priority -150;"
		for i in $(seq "$1"); do
			echo "ip saddr 192.0.2.$((i % 250 + 1)) ip daddr 198.51.100.$((i / 250 + 1)) counter"
		done
		echo "}"; echo "}"
	} | srv nft -f -
}

# acked_rate NETNS FILTER SECS: bytes/s those connections got together over
# one window of SECS seconds, the same for all (clients' own totals span
# their staggered starts); what each got in it goes to $TMP/acked.each.
acked_rate() {
	local t0 t1 t

	# Each reading is timed at its middle: one that waits longer for its
	# CPU than the other would skew the window (6% once, 16 connections).
	t=$(date +%s%N)
	acked "$1" "$2" >"$TMP/acked.0"
	t0=$(((t + $(date +%s%N)) / 2))
	sleep "$3"
	t=$(date +%s%N)
	acked "$1" "$2" >"$TMP/acked.1"
	t1=$(((t + $(date +%s%N)) / 2))
	awk 'NR == FNR { b0[$1] = $2; next } ($1 in b0) { print $2 - b0[$1] }' \
		"$TMP/acked.0" "$TMP/acked.1" >"$TMP/acked.each"
	awk -v dt=$((t1 - t0)) '{ s += $1 } END { printf "%d\n", s * 1e9 / dt }' \
		"$TMP/acked.each"
}

# jain FILE: Jain's fairness index of the numbers in FILE (1 is even).
jain() {
	awk '{ s += $1; q += $1 * $1 } END { printf "%.3f", q ? s * s / (NR * q) : 0 }' "$1"
}

# calc FORMAT EXPR VAR=NUMBER...: printf FORMAT ('%.3f %.3f') of EXPR, awk
# expressions of the VARs (one for each %, comma-separated); with FORMAT ''
# (calc_true) whether EXPR holds. Float arithmetic without a python3 start,
# slow under TCG. Fails, printing nothing, if a NUMBER is not a decimal
# number (a reading went wrong) or a result is not finite (a division by
# zero: mawk's inf; gawk stops on it).
calc() {
	local fmt=$1 expr=$2 a v=()
	local num='^[A-Za-z_][A-Za-z0-9_]*=[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$'

	shift 2
	for a; do
		[[ $a =~ $num ]] || return 1
		v+=(-v "$a")
	done
	if [ -z "$fmt" ]; then
		awk "${v[@]}" "BEGIN { exit !($expr) }"
	else
		awk "${v[@]}" "BEGIN { _s = sprintf(\"$fmt\", $expr)
			if (_s ~ /inf|nan/) exit 1; print _s }"
	fi
}

# calc_true EXPR VAR=NUMBER...: the awk condition EXPR of the VARs holds
# (false too if a NUMBER is not a number, as for calc).
calc_true() { calc '' "$@"; }

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

# nginx_start [-n NETNS] [-N NAME] [-w WORKERS] [-a CPUMASK] [-c CONNS]
#	[-b BACKLOG] [-H DIRECTIVE]... [-f FILE] [-R] [-s SERVER]... [LISTEN...]
# nginx in NETNS (srv), in the background (daemon off: a job of the test,
# which cleanup stops). Its configuration is $TMP/NAME.conf (NAME: nginx),
# its pid goes to $TMP/NAME.pid, its errors to $TMP/NAME.err. WORKERS
# worker processes (1), pinned by worker_cpu_affinity CPUMASK if given,
# CONNS worker_connections (1024); no access log. Client bodies go to $TMP,
# which nginx (started as root) hands to its workers' user, nobody: they
# can read the files under $TMP.
#   LISTEN...     one server {} with a listen on each (a port, or an
#                 address:port such as [::]:8080), backlog=BACKLOG if -b
#                 (else nginx's default, 511), that answers "ok" at /,
#                 hence to any request (-R: no location /)
#   -f FILE       that server also serves FILE at /big
#   -H DIRECTIVE  a directive in http {}, with its ';' ('sendfile on;')
#   -s SERVER     a whole server {} block more in http {}
# Returns at once: wait for the ports (listening) or sleep.
nginx_start() {
	local ns=srv name=nginx workers=1 affinity= conns=1024 backlog= ok=1
	local http=() locs=() servers=() opt l OPTIND=1

	while getopts n:N:w:a:c:b:H:f:Rs: opt; do
		case $opt in
		n) ns=$OPTARG ;;
		N) name=$OPTARG ;;
		w) workers=$OPTARG ;;
		a) affinity=$OPTARG ;;
		c) conns=$OPTARG ;;
		b) backlog=" backlog=$OPTARG" ;;
		H) http+=("$OPTARG") ;;
		f) locs+=("location /big { alias $OPTARG; }") ;;
		R) ok= ;;
		s) servers+=("$OPTARG") ;;
		*) return 1 ;;
		esac
	done
	shift $((OPTIND - 1))
	[ -n "$ok" ] && locs=('location / { return 200 "ok\n"; }' "${locs[@]}")
	{
		echo "daemon off;"
		echo "worker_processes $workers;"
		[ -n "$affinity" ] && echo "worker_cpu_affinity $affinity;"
		echo "pid $TMP/$name.pid;"
		echo "error_log stderr;"
		echo "events { worker_connections $conns; }"
		echo "http {"
		echo "	access_log off;"
		for l in "${http[@]}"; do echo "	$l"; done
		echo "	client_body_temp_path $TMP;"
		if [ $# -gt 0 ]; then
			echo "	server {"
			for l in "$@"; do echo "		listen $l$backlog;"; done
			for l in "${locs[@]}"; do echo "		$l"; done
			echo "	}"
		fi
		for l in "${servers[@]}"; do echo "	$l"; done
		echo "}"
	} >"$TMP/$name.conf"
	ip netns exec "$ns" nginx -c "$TMP/$name.conf" 2>"$TMP/$name.err" &
}

# nginx_stop [NAME]: stop nginx_start's nginx NAME (nginx).
nginx_stop() { kill "$(cat "$TMP/${1:-nginx}.pid")" 2>/dev/null; }

# vsftpd_start ROOT [PORT [NETNS]]: vsftpd in NETNS (srv), in the
# background, on PORT (21), IPv4 only: anonymous downloads from ROOT (made
# by the caller; vsftpd refuses a root it could write to), no login, no
# upload, no transfer log, passive mode on data ports 30000..30999;
# seccomp_sandbox, isolate and isolate_network off. Its configuration is
# $TMP/vsftpd.conf, its errors go to $TMP/vsftpd.err; $TMP/empty is its
# secure_chroot_dir. Returns at once: wait for PORT (listening) or sleep.
vsftpd_start() {
	mkdir -p "$TMP/empty"
	chmod 755 "$TMP/empty"
	cat >"$TMP/vsftpd.conf" <<EOF
listen=YES
listen_ipv6=NO
listen_port=${2:-21}
background=NO
anonymous_enable=YES
no_anon_password=YES
anon_root=$1
local_enable=NO
write_enable=NO
pasv_enable=YES
pasv_min_port=30000
pasv_max_port=30999
secure_chroot_dir=$TMP/empty
seccomp_sandbox=NO
isolate=NO
isolate_network=NO
xferlog_enable=NO
EOF
	ip netns exec "${3:-srv}" vsftpd "$TMP/vsftpd.conf" 2>"$TMP/vsftpd.err" &
}

# config_state [NS]: silk's configuration in NS (default srv; '' for the
# initial namespace) as an operator sees it, counters left out: paths,
# groups, namespace settings, tcpchains rules, module parameters. If any
# read fails it says so with a random number, so that two failed reads
# never compare equal, and returns 1.
config_state() {
	local ns=${1-srv} x=() out

	[ -n "$ns" ] && x=(ip netns exec "$ns")
	# One namespace entry and one jq for all four reads (refusal checks
	# read the state twice each, and every process start is slow in TCG).
	if ! out=$(
		set -o pipefail
		"${x[@]}" sh -c 'printf "path show\ngroup show\nstats\n" |
			"$1" -j -b - && "$2" -j -L' _ "$SILKCTL" "$ROOT/tools/tcpchains" |
		jq -Sse 'if length != 4 then error("\(length) of 4 reads") else
			(.[0] | map(del(.nconns))),
			(.[1] | map(del(.held, .accepted, .hidden, .members, .data_ports) |
				.ports |= map(del(.held, .accepted)))),
			(.[2] | {placement, meter, meter_interval_ms}),
			(.[3] | map(del(.hits, .handed, .timeouts, .resets, .pending) |
				.conditions |= map(del(.hits)))) end' &&
		grep -H . /sys/module/silk/parameters/*
	) 2>&1; then
		echo "config_state: cannot read silk's configuration: $out ($RANDOM$RANDOM)"
		return 1
	fi
	echo "$out"
}

# state_diff BEFORE AFTER: how two config_state readings differ, as details.
state_diff() { diff <(echo "$1") <(echo "$2") | head -n 10 | sed 's/^/#   /'; }

# check_refused DESC REASON CMD...: CMD must fail, say why on a line with
# "Error: " (the first) that matches the extended regex REASON (the
# kernel's extack text, or the tool's), and leave config_state $STATE_NS
# (srv) unchanged.
STATE_NS=srv
check_refused() {
	local desc=$1 reason=$2 before after rc=0
	shift 2

	before=$(config_state "$STATE_NS")
	"$@" >"$TMP/refused.out" 2>&1 || rc=$?
	after=$(config_state "$STATE_NS")
	if [ "$rc" = 0 ]; then
		fail "refused: $desc (it succeeded)"
	elif ! grep -m1 'Error: ' "$TMP/refused.out" | grep -Eiq -- "$reason"; then
		fail "refused with the reason: $desc (/$reason/, exit $rc)"
	elif [ "$before" != "$after" ]; then
		fail "refused, nothing changed: $desc"
		state_diff "$before" "$after"
	else
		pass "refused: $desc ($(grep -m1 'Error: ' "$TMP/refused.out"))"
		return 0
	fi
	sed 's/^/#   /' "$TMP/refused.out" | head -n 10
	return 1
}

# check_nl_refused DESC REASON NS GENL-ARGS...: a raw request
# (tests/helpers/genl.py) from NS must get an errno whose extack
# message matches REASON ('' for none required), changing nothing.
check_nl_refused() {
	local desc=$1 reason=$2 ns=$3 before after out rc=0
	shift 3

	before=$(config_state "$ns")
	out=$(ip netns exec "$ns" python3 "$HELPERS/genl.py" "$@" 2>&1) || rc=$?
	after=$(config_state "$ns")
	# genl.py exits 1 when it cannot even find the family.
	if [ "$rc" != 0 ] || ! jq -e '.error > 0' >/dev/null 2>&1 <<<"$out"; then
		fail "kernel refuses: $desc (answer: $out)"
	elif ! jq -r '.msg // ""' <<<"$out" | grep -Eiq -- "$reason"; then
		fail "kernel refuses with the reason: $desc (/$reason/: $out)"
	elif [ "$before" != "$after" ]; then
		fail "kernel refuses, nothing changed: $desc"
		state_diff "$before" "$after"
	else
		pass "kernel refuses: $desc ($(jq -r '"\(.error) \(.msg // "")"' <<<"$out"))"
	fi
}

# check_unchanged DESC BEFORE [NS]: config_state NS is still BEFORE.
check_unchanged() {
	local after

	after=$(config_state "${3-srv}")
	if [ "$2" = "$after" ]; then
		pass "$1"
	else
		fail "$1"
		state_diff "$2" "$after"
	fi
}

finish() {
	local st peak cap

	if cleanup; then
		pass "every namespace torn down, its devices unregistered"
	else
		fail "every namespace torn down, its devices unregistered"
	fi
	trap - EXIT
	# What the test needed of the kernel, for the debug kernel's config.
	[ -n "${SILK_VM_OUT:-}" ] && lsmod >"$SILK_VM_OUT/lsmod" 2>/dev/null
	if lsmod | grep -q '^silk '; then
		# Memory: what silk ever held queued, against its cap.
		st=$("$SILKCTL" -j stats 2>&1)
		peak=$(echo "$st" | jq -e .global_queued_peak 2>/dev/null)
		cap=$(echo "$st" | jq -e .global_cap_bytes 2>/dev/null)
		if [ -z "$peak" ] || [ -z "$cap" ]; then
			fail "queued bytes stayed under the cap (cannot read them: $st)"
		elif [ "$peak" -le "$cap" ]; then
			pass "queued bytes stayed under the cap (peak $peak of $cap)"
		else
			fail "queued bytes stayed under the cap (peak $peak of $cap)"
		fi
		# Bounded: an unload stuck behind a namespace that cannot go
		# (a leaked reference) must not hold the VM to its timeout.
		rmmod silk &
		if ! poll 60 eval '! kill -0 $! 2>/dev/null'; then
			fail "silk unloads cleanly (rmmod still blocked after $((60 * SLOW)) s)"
		elif wait $!; then
			pass "silk unloads cleanly"
		else
			fail "silk unloads cleanly"
		fi
	else
		log "silk is not loaded at the end: the test unloaded it"
	fi
	echo "# $NPASS passed, $NFAIL failed, $NSKIP skipped"
	[ "$NFAIL" = 0 ]
	exit $?
}
