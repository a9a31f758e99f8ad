#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Abuse at the limits (issue 19): what an unprivileged user (root only of a
# user namespace of its own), another module or a remote peer can do to
# silk must not crash, hang or starve the host or another namespace.
#  - silk loads beside the modules servers have loaded (ip_tables,
#    openvswitch, kvm), and they load after it: its static per-CPU data
#    must leave the modules' shared reserve alone;
#  - user nobody, in its own user and network namespace, chains rules as
#    long as the table allows, and closes the chain into a loop: accepted,
#    then refused, the kernel stack intact;
#  - getsockopt with a negative length (IPv6 passes it on unchecked) is
#    refused, not answered;
#  - user nobody's socket options make paths that go with their sockets,
#    64 at most a user and 8 a port, never change an administrator's path
#    and never bring silk up in a namespace;
#  - mirroring raises only the tasks the administrator named (by default
#    the uid that turned it on): nobody's server on a mirrored port keeps
#    its policy where root's gets SCHED_FIFO;
#  - nobody, root of its own namespace, fills what its namespace may queue
#    (a lazy path whose reader never reads): another namespace's path
#    still delivers everything;
#  - nobody's namespace cannot attach what every namespace's sockets pass
#    through (sensors' probes) unless the host allows it, and its worker
#    threads are bounded per user; root's namespaces are not;
#  - a remote peer's old duplicate SYN or SYN|FIN at a chained port leaves
#    the server's TIME_WAIT alone, where a real reopening ends it;
#  - what callers make is charged to their memory cgroup: paths to who
#    asks for them, connection paths (which remote peers make) to the
#    listener they are for;
#  - a SYN flood from spoofed sources at a lazy TCP port: the stack's SYN
#    cookies still answer new clients, established connections still get
#    their segments;
#  - a connection a content rule handed to a server, closed by it and left
#    in FIN_WAIT1 by a peer that stops acknowledging, keeps its namespace
#    until it is gone (its timers used the freed namespace before).
source "$(dirname "$0")/../lib.sh"
plan 49

NOBODY="setpriv --reuid=65534 --regid=65534 --clear-groups"
TC=$ROOT/tools/tcpchains
# Modules found loaded on servers, each with a large static per-CPU area.
NEIGHBOURS="ip_tables iptable_filter openvswitch kvm"

# have MOD: MOD is built for the kernel under test.
have() { modinfo "$1" >/dev/null 2>&1; }

## Beside other modules
loaded=()
for m in $NEIGHBOURS; do
	if ! have "$m"; then
		skip "$m loads before silk" "no $m module in $(uname -r)"
	else
		check "$m loads before silk" modprobe "$m" && loaded+=("$m")
	fi
done
check "silk loads after ${loaded[*]:-none of them (not built here)}" silk_load
rmmod silk 2>/dev/null
for m in iptable_filter ip_tables x_tables openvswitch kvm; do
	modprobe -r "$m" 2>/dev/null
done
silk_load || { fail "silk loads alone"; finish; }
for m in $NEIGHBOURS nft_ct br_netfilter; do
	if ! have "$m"; then
		skip "$m loads after silk" "no $m module in $(uname -r)"
	else
		check "$m loads after silk" modprobe "$m"
	fi
done

## Unprivileged: chains as long as the table allows
# A straight chain of 1000 rules (20001 -> 20002 -> ... -> 21001), one
# batch; then a rule from its end back to its start, a loop 1001 rules
# long. Rule checks that recursed once per rule overflowed the stack here.
chain=/tmp/silk-abuse-chain
for i in $(seq 20001 21000); do
	echo "-A a -p $i -o $((i + 1))"
done >"$chain"
echo "-A a -p 21001 -o 20001" >"$chain.loop"
chmod 644 "$chain" "$chain.loop"
$NOBODY unshare -Urn sh -c "
	$TC -b $chain || exit 10
	$TC -L >$chain.before 2>&1
	$TC -b $chain.loop 2>$chain.err && exit 11
	$TC -L >$chain.after 2>&1
	cmp -s $chain.before $chain.after || exit 12
	$TC -F || exit 13
" 2>"$TMP/chain.out"
rc=$?
check_cond "nobody's userns: a chain of 1000 rules is accepted (exit $rc)" "$rc" != 10
check_cond "nobody's userns: closing it into a loop of 1001 is refused" "$rc" != 11
if grep -q 'loop' "$chain.err" 2>/dev/null; then
	pass "nobody's userns: the refusal names the loop ($(head -n1 "$chain.err"))"
else
	fail "nobody's userns: the refusal names the loop"
	sed 's/^/#   /' "$chain.err" "$TMP/chain.out" 2>/dev/null | head -n 5
fi
check_cond "nobody's userns: the refused loop changed nothing, flush works" \
	"$rc" = 0
check "silk answers after the long chains" "$SILKCTL" stats

## Socket options: lengths
ip netns add so
ip -n so link set lo up
ip netns exec so "$SILKCTL" path add udp port 7000 name so
SO_PATH=$(awk '$2 == "SILK_SO_BASE" { print $3 }' "$ROOT/include/uapi/linux/silk.h")
# so_get LEN: getsockopt(SOL_IPV6, SILK_SO_PATH) on a socket of that path
# with optlen LEN; prints the return value, errno and the length given back.
so_get() {
	ip netns exec so python3 - "$1" "$SO_PATH" <<'EOF'
import ctypes, socket, sys
libc = ctypes.CDLL(None, use_errno=True)
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.bind(("::", 7000))
buf = ctypes.create_string_buffer(4096)
n = ctypes.c_int(int(sys.argv[1]))
r = libc.getsockopt(s.fileno(), socket.IPPROTO_IPV6, int(sys.argv[2], 0), buf,
                    ctypes.byref(n))
print(r, ctypes.get_errno(), n.value)
EOF
}
out=$(so_get 4096)
check_cond "IPv6 getsockopt of the socket's path answers (ret errno len: $out)" \
	"${out%% *}" = 0
out=$(so_get -1)
check_cond "IPv6 getsockopt with length -1 is refused with EINVAL (ret errno len: $out)" \
	"$out" = "-1 22 -1"

## Socket options: paths that belong to their sockets
so() { ip netns exec so "$@"; }
owned() { so "$SILKCTL" -j path show | jq '[.[] | select(.owner_uid == 65534)] | length'; }
SOP="$HELPERS/sopaths.py"
so $NOBODY python3 "$SOP" --hold 7100 65 >"$TMP/sop.1" 2>&1 &
sop=$!
poll 20 test -s "$TMP/sop.1"
check_cond "nobody: 64 sockets get a path each, the 65th is refused with EDQUOT ($(cat "$TMP/sop.1"))" \
	"$(jq -c . "$TMP/sop.1" 2>/dev/null)" = '{"ok":64,"errno":{"122":1}}'
check_cond "nobody's 64 paths are there, each with its owner ($(owned))" "$(owned)" = 64
pkill -f "$SOP"
wait $sop 2>/dev/null
poll 5 eval '[ "$(owned)" = 0 ]'
check_cond "their sockets closed, the paths are gone ($(owned) left)" "$(owned)" = 0
out=$(so $NOBODY python3 "$SOP" --same-port 7200 9)
check_cond "nobody: 8 paths on one port, the 9th is refused with ENOSPC ($out)" \
	"$(jq -c . <<<"$out" 2>/dev/null)" = '{"ok":8,"errno":{"28":1}}'
# Those sockets are closed: their paths go within a second.
poll 5 eval '[ "$(owned)" = 0 ]'
before=$(config_state so)
out=$(so $NOBODY python3 "$SOP" 7000 1)
check_cond "nobody cannot change an administrator's path, not even to less ($out)" \
	"$(jq -c . <<<"$out" 2>/dev/null)" = '{"ok":0,"errno":{"1":1}}'
check_unchanged "the administrator's path is as it was" "$before" so
ip netns add so2
out=$(ip netns exec so2 $NOBODY python3 "$SOP" 7000 1)
check_cond "nobody cannot bring silk up in a namespace without paths ($out)" \
	"$(jq -c . <<<"$out" 2>/dev/null)" = '{"ok":0,"errno":{"1":1}}'

## Mirroring: realtime priority only for the tasks named
so "$SILKCTL" path add tcp port 8095 prio 5 mirror on
so "$SILKCTL" path add tcp port 8096 prio 5 mirror on
ACC=/tmp/silk-abuse-acc
# acceptor PORT [USER-OPTS...]: a server task blocked in accept() on PORT
# until a client comes; its pid in $ACC.PORT (where nobody may write).
acceptor() {
	local port=$1
	shift
	so "$@" python3 -c '
import os, socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen(8)
open(sys.argv[2] + ".tmp", "w").write(str(os.getpid()))
os.rename(sys.argv[2] + ".tmp", sys.argv[2])
c, _ = s.accept()
time.sleep(30)' "$port" "$ACC.$port" &
	poll 10 test -s "$ACC.$port"
	so python3 -c 'import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1]))); time.sleep(30)' "$port" &
}
policy() { "$HELPERS/schedof" "$(cat "$ACC.$1")" | jq -r '"\(.policy) \(.prio)"'; }
acceptor 8095
acceptor 8096 $NOBODY
poll 5 eval '[ "$(policy 8095)" = "fifo 6" ]'
check_cond "root's server on a mirrored port runs SCHED_FIFO 6 ($(policy 8095))" \
	"$(policy 8095)" = "fifo 6"
sleep 1
check_cond "nobody's server on a mirrored port keeps its own policy ($(policy 8096))" \
	"$(policy 8096)" = "other 0"
check_cond "and is counted as refused ($(so "$SILKCTL" -j stats | jq .mirror_refused))" \
	"$(so "$SILKCTL" -j stats | jq '.mirror_refused > 0')" = true
pkill -f "$ACC."
so "$SILKCTL" path del tcp port 8095
so "$SILKCTL" path del tcp port 8096

## Unprivileged: system-wide probes and worker threads
$NOBODY unshare -Urn "$SILKCTL" meter on 2>"$TMP/probes.err"
rc=$?
check_cond "nobody's userns: sensors, which attach system-wide probes, are refused (exit $rc)" \
	"$rc" != 0
if grep -q 'initial user namespace' "$TMP/probes.err"; then
	pass "nobody's userns: the refusal says who may ($(head -n1 "$TMP/probes.err"))"
else
	fail "nobody's userns: the refusal says who may"
	sed 's/^/#   /' "$TMP/probes.err" | head -n 5
fi
echo 1 >/sys/module/silk/parameters/ns_probes
check "nobody's userns: sensors once the host allows them (ns_probes)" \
	$NOBODY unshare -Urn sh -c "$SILKCTL meter on && $SILKCTL meter off"
echo 0 >/sys/module/silk/parameters/ns_probes
# Worker threads: two for all of nobody's namespaces, and two for all
# namespaces of user namespaces.
echo 2 >/sys/module/silk/parameters/max_ns_workers_per_user
echo 2 >/sys/module/silk/parameters/max_ns_workers
rm -f /tmp/silk-abuse-workers
$NOBODY unshare -Urn sh -c "
	$SILKCTL path add udp port 9100 cpu 0 >/dev/null &&
	$SILKCTL path add udp port 9101 cpu 1 >/dev/null &&
	touch /tmp/silk-abuse-workers && exec sleep 3600" &
held=$!
poll 30 test -e /tmp/silk-abuse-workers
$NOBODY unshare -Urn "$SILKCTL" path add udp port 9102 2>"$TMP/workers.err"
rc=$?
check_cond "nobody's third worker, in another namespace, is refused (exit $rc)" "$rc" != 0
if grep -q 'max_ns_workers_per_user' "$TMP/workers.err"; then
	pass "nobody's userns: the refusal names the limit ($(head -n1 "$TMP/workers.err"))"
else
	fail "nobody's userns: the refusal names the limit"
	sed 's/^/#   /' "$TMP/workers.err" | head -n 5
fi
ip netns add wk
check "root's namespaces are not counted" ip netns exec wk "$SILKCTL" path add udp port 9103
ip netns del wk
kill "$held" 2>/dev/null
wait "$held" 2>/dev/null
echo 128 >/sys/module/silk/parameters/max_ns_workers_per_user
echo 1024 >/sys/module/silk/parameters/max_ns_workers

## Queued memory: a namespace's share
echo $((4 << 20)) >/sys/module/silk/parameters/max_queued_bytes
fill=/tmp/silk-abuse-fill
cat >"$fill.sh" <<EOF
ip link set lo up
"$SILKCTL" path add udp port 9000 lazy on limit 100000 bytes 64m || exit 1
python3 "$HELPERS/udp.py" sink 127.0.0.1 9000 --rcvbuf 4096 --no-read 3600 >/dev/null &
sleep 1
python3 "$HELPERS/udp.py" send 127.0.0.1 9000 --count 20000 --size 1000 >/dev/null
"$SILKCTL" -j stats >"$fill.json.new" && mv "$fill.json.new" "$fill.json"
sleep 3600
EOF
chmod 644 "$fill.sh"
$NOBODY unshare -Urn sh "$fill.sh" &
poll 120 test -s "$fill.json"
log "nobody's namespace: $(jq -c '{queued_bytes, cap_bytes, cap_drops}' "$fill.json" 2>&1)"
check_cond "nobody's namespace is held to its share, 1 MiB of 4 ($(jq .queued_bytes "$fill.json" 2>&1) bytes queued)" \
	"$(jq '.cap_bytes == 1048576 and .queued_bytes <= .cap_bytes and .cap_drops > 0' "$fill.json" 2>&1)" = true
so "$SILKCTL" path add udp port 7001 name other
sysctl -qw net.core.rmem_max=67108864
so python3 "$HELPERS/udp.py" sink 127.0.0.1 7001 --count 500 --idle $((5 * SLOW)) \
	--rcvbuf 8388608 >"$TMP/other.json" &
other=$!
sleep 1
so python3 "$HELPERS/udp.py" send 127.0.0.1 7001 --count 500 --size 1000 >/dev/null
wait $other
check_cond "meanwhile another namespace's path delivers 500 of 500 ($(jq -c . "$TMP/other.json" 2>&1))" \
	"$(jq .intact "$TMP/other.json" 2>&1)" = 500
pkill -f "$fill.sh"
pkill -u 65534 -f "$HELPERS/udp.py"
echo $((64 << 20)) >/sys/module/silk/parameters/max_queued_bytes

## Remote peer: TIME_WAIT on a chained port
setup_pair
srv "$TC" -A a -p 80 -o 8080
# The client's kernel answers TIME_WAIT's ACK to a stray SYN with a reset,
# which would end it (RFC 1337's hazard) whatever silk did.
srv sysctl -qw net.ipv4.tcp_rfc1337=1
# web PORT: python's http.server on 10.0.0.2:PORT in srv, without the
# reverse DNS lookup it makes before it listens (seconds in the VM).
web() {
	srv python3 -c 'import socket, sys, http.server as h
socket.getfqdn = lambda name="": name
h.test(HandlerClass=h.SimpleHTTPRequestHandler, port=int(sys.argv[1]), bind="10.0.0.2")' \
		"$1" >/dev/null 2>&1 &
	listening "$1" || fail "the web server listens on $1"
}
web 8080
TW="$HELPERS/twsyn.py"
# tw_left PORT: the server's side of 10.0.0.1:PORT -> :80 is in TIME_WAIT.
tw_left() {
	sleep 0.5
	srv ss -Htan state time-wait "( sport = :80 and dport = :$1 )" | grep -q .
}
# tw_knock PORT OFFSET FLAGS: a server-closed connection from PORT, in
# TIME_WAIT, then a segment with FLAGS at OFFSET from the sequence number
# TIME_WAIT expects next.
tw_knock() {
	local nxt

	nxt=$(cli python3 "$TW" close 10.0.0.1 "$1" 10.0.0.2 80)
	if ! tw_left "$1"; then
		echo "# no TIME_WAIT for port $1 (next seq ${nxt:-?})"
		return 1
	fi
	cli python3 "$TW" syn 10.0.0.1 "$1" 10.0.0.2 80 \
		$(((${nxt:-0} + $2) & 0xffffffff)) "$3"
}
tw_knock 40001 -1000 S
check "an old duplicate SYN (seq before the old connection's) leaves TIME_WAIT alone" \
	tw_left 40001
tw_knock 40002 1000 FS
check "a SYN|FIN leaves TIME_WAIT alone" tw_left 40002
check "a real reopening (newer timestamp) is served through the chain" \
	cli curl -sf --max-time $((10 * SLOW)) --local-port 40002 -o /dev/null http://10.0.0.2/

## Memory: what callers make is charged to their memory cgroup
# Paths to the task that asks for them (silkctl), connection paths, which
# remote peers make, to the listener they are for, as the connections'
# sockets are at accept(). Each is the growth of the cgroup's unreclaimable
# slab memory (a path takes 1 KiB; 512 bytes are asked) against the same
# done without silk's part.
CG=/sys/fs/cgroup/silkabuse
NCG=1000
slab() { sleep 3; awk '$1 == "slab_unreclaimable" { print $2 }' "$CG/$1/memory.stat"; }
# in_cg CG CMD...: CMD run in cgroup $CG/CG.
in_cg() { sh -c 'echo $$ >"$0/cgroup.procs" && exec "$@"' "$CG/$1" "${@:2}"; }
# held_growth: the server cgroup's slab growth for $NCG connections to 8090.
held_growth() {
	local before after srvpid clipid

	before=$(slab server)
	in_cg server ip netns exec srv python3 "$HELPERS/holdconns.py" serve 10.0.0.2 8090 \
		--count-file "$TMP/served" &
	srvpid=$!
	listening 8090 || return 1
	cli python3 "$HELPERS/holdconns.py" open 10.0.0.2 8090 $NCG --count-file "$TMP/opened" &
	clipid=$!
	poll $((60 * SLOW)) eval '[ "$(cat "$TMP/served" 2>/dev/null)" = $NCG ]'
	after=$(slab server)
	pkill -f holdconns.py
	wait "$clipid" "$srvpid" 2>/dev/null
	echo $((after - before))
}
if ! grep -qw memory /sys/fs/cgroup/cgroup.controllers 2>/dev/null; then
	skip "paths are charged to the memory cgroup of who makes them" "no cgroup2 memory controller"
	skip "connection paths are charged to their listener's memory cgroup" "no cgroup2 memory controller"
else
	echo +memory >/sys/fs/cgroup/cgroup.subtree_control
	mkdir -p "$CG"
	echo +memory >"$CG/cgroup.subtree_control"
	mkdir -p "$CG/admin" "$CG/server"
	for p in $(seq 30001 $((30000 + NCG))); do echo "path add udp port $p"; done >"$TMP/paths"
	before=$(slab admin)
	in_cg admin ip netns exec srv "$SILKCTL" -b "$TMP/paths"
	grown=$(($(slab admin) - before))
	check_cond "$NCG paths are charged to the memory cgroup of who makes them ($grown bytes)" \
		"$grown" -ge $((NCG * 512))
	sed 's/^path add/path del/' "$TMP/paths" >"$TMP/paths.del"
	srv "$SILKCTL" -b "$TMP/paths.del"
	srv "$SILKCTL" path add tcp port 8090
	off=$(held_growth)
	srv "$SILKCTL" path change tcp port 8090 conns on
	on=$(held_growth)
	log "server cgroup's slab growth for $NCG connections: ${off:-?} bytes without connection paths, ${on:-?} with"
	check_cond "connection paths are charged to their listener's memory cgroup ($((${on:-0} - ${off:-0})) bytes for $NCG)" \
		$((${on:-0} - ${off:-0})) -ge $((NCG * 512))
	srv "$SILKCTL" path del tcp port 8090
	rmdir "$CG/admin" "$CG/server" "$CG"
fi

## Remote peer: a SYN flood at a lazy port
# A route back to every spoofed source, so that each SYN takes a place in
# the listener's SYN queue (without one the stack drops it at once).
ip -n srv route add default via 10.0.0.1
srv "$SILKCTL" path add tcp port 8090 lazy on name lazy
web 8090
# A connection established before the flood asks during it.
cli python3 -c '
import socket, sys, time
for i in range(20):
    try:
        s = socket.create_connection(("10.0.0.2", 8090), timeout=10)
        break
    except ConnectionRefusedError:
        print("connect refused", i + 1, "times", file=sys.stderr)
        time.sleep(0.5)
time.sleep(float(sys.argv[1]))
s.sendall(b"GET / HTTP/1.0\r\n\r\n")
print("answered" if s.recv(100).startswith(b"HTTP/1.0 200") else "refused")
' $((4 * SLOW)) >"$TMP/est.out" 2>"$TMP/est.err" &
est=$!
cli timeout $((30 * SLOW)) hping3 -q -S -p 8090 --flood --rand-source 10.0.0.2 \
	>/dev/null 2>&1 &
sleep 2
ok=0
for _ in $(seq 12); do
	cli curl -sf --max-time $((5 * SLOW)) -o /dev/null http://10.0.0.2:8090/ &&
		ok=$((ok + 1))
done
check_cond "under a SYN flood, new connections to a lazy port succeed ($ok of 12)" \
	"$ok" = 12
wait $est
[ -s "$TMP/est.err" ] && log "established client: $(tail -n 1 "$TMP/est.err")"
check_cond "under a SYN flood, an established connection is answered ($(cat "$TMP/est.out"))" \
	"$(cat "$TMP/est.out")" = answered
pkill -f 'hping3 -q -S -p 8090'
log "lazy path: $(srv "$SILKCTL" -s path show tcp port 8090 | tr '\n' ' ')"

## Remote peer: a handed-over connection outlives its server's close
srv "$TC" -A c -p 81 -o 8081
srv "$TC" -a c -p 81 -s hold -r 8081
srv python3 "$HELPERS/finwait.py" server 10.0.0.2 8081 &
listening 8081
cli python3 "$HELPERS/finwait.py" client 10.0.0.2 81 hold &
poll 20 eval "srv ss -Htan state fin-wait-1 '( sport = :81 )' | grep -q ."
check "the handed-over connection is in FIN_WAIT1 after the server's close" \
	eval "srv ss -Htan state fin-wait-1 '( sport = :81 )' | grep -q ."
# Deleted, the namespace stays while that connection lives, as it would
# without silk (its link to cli with it); then the client aborts, and it
# goes. Before, it went at once and the connection's timers used it.
netns_del srv &
deleting=$!
poll 10 eval '! ip -n cli link show va >/dev/null 2>&1'
check "the deleted namespace stays while its connection lives (its link is up)" \
	ip -n cli link show va
cli ss -K dst 10.0.0.2 dport = :81 >/dev/null
check "the connection aborted, the namespace is torn down, its devices unregistered" \
	wait $deleting

finish
