#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# silk with the kernel's other receive paths, which call PRE_ROUTING with
# an okfn of their own:
#  - a VRF runs PRE_ROUTING twice, the second time (on the VRF device)
#    with an okfn that frees the packet: silk takes the packet on the
#    enslaved device and lets the second pass be, so nothing is lost;
#  - br_netfilter runs the IP hooks from the bridge with its own okfn:
#    silk queues those packets too, and when br_netfilter is unloaded with
#    some still queued it drops them (counted as gone) instead of calling
#    code that is no longer there;
#  - a TC program that assigns a socket (bpf_sk_assign) sends the packet
#    on with a socket that holds no reference: silk takes one while the
#    packet waits, so the socket may close meanwhile (under KASAN a missing
#    reference shows as a use-after-free when the packet is delivered).
# vm: shares the machine (no check depends on timing: counts through other hooks)
source "$(dirname "$0")/../lib.sh"
plan 26

# deliver PORT COUNT: send COUNT datagrams to srv's PORT (10.0.0.2) and
# print how many arrived intact.
deliver() {
	srv python3 "$HELPERS/udp.py" sink 0.0.0.0 "$1" --idle $((3 * SLOW)) \
		>"$TMP/deliver.json" &
	listening "$1" udp
	cli python3 "$HELPERS/udp.py" send 10.0.0.2 "$1" --count "$2" \
		--rate 2000 >/dev/null
	wait $!
	jq .intact "$TMP/deliver.json"
}

silk_load || { fail "silk loads"; finish; }
setup_pair

## 1. VRF
if modprobe vrf 2>/dev/null; then
	ip -n srv link add red type vrf table 10
	ip -n srv link set red up
	ip -n srv link set vb master red
	# Enslaving cycles the link, which takes its IPv6 address.
	ip -n srv addr replace fd00::2/64 dev vb nodad
	# Sockets not bound to the VRF take its traffic.
	ip netns exec srv sysctl -qw net.ipv4.udp_l3mdev_accept=1
	# A plain link in the same namespace, for comparison.
	ip link add vc netns cli type veth peer name vd netns srv
	ip -n cli addr add 10.0.1.1/24 dev vc
	ip -n srv addr add 10.0.1.2/24 dev vd
	ip -n cli link set vc up
	ip -n srv link set vd up
	check "takeover on" srv "$SILKCTL" takeover on limit 500 cpu 1
	di=$(srv "$SILKCTL" -j path show |
		jq '.[] | select(.default and .proto == "icmp") | .id')
	loss() { cli ping "$@" -c 20 -i 0.05 -W 2 | sed -n 's/.* \([0-9.]*\)% packet loss.*/\1/p'; }
	l=$(loss 10.0.0.2)
	check_cond "ping v4 into a VRF with takeover on loses nothing (${l:-?}%)" "${l:-x}" = 0
	l=$(loss -6 fd00::2)
	check_cond "ping v6 into a VRF with takeover on loses nothing (${l:-?}%)" "${l:-x}" = 0
	l=$(loss 10.0.1.2)
	check_cond "ping over a plain link in the same namespace loses nothing (${l:-?}%)" "${l:-x}" = 0
	n=$(path_stat srv "$di" delivered_pkts)
	check_cond "silk carried them: the ICMP default path delivered $n" "$n" -ge 60
	n=$(deliver 7001 500)
	check_cond "UDP into a VRF: $n of 500 datagrams arrive" "$n" = 500
	check "takeover off" srv "$SILKCTL" takeover off
	ip -n srv link set vb nomaster
	ip -n srv link del red
	ip -n srv link del vd
else
	for c in "takeover on" "ping v4 into a VRF" "ping v6 into a VRF" \
		 "ping over a plain link" "the ICMP default path delivered them" \
		 "UDP into a VRF" "takeover off"; do
		skip "$c" "no vrf module"
	done
fi

## 2. a bridge with br_netfilter
if modprobe br_netfilter 2>/dev/null; then
	ip -n srv addr flush dev vb
	ip -n srv link add br0 type bridge
	ip -n srv link set vb master br0
	ip -n srv addr add 10.0.0.2/24 dev br0
	ip -n srv link set br0 up
	# The IP hooks run from the bridge, with br_netfilter's okfn; the
	# packet's later pass on br0 is cut short (ip_sabotage_in()).
	ip netns exec srv sysctl -qw net.bridge.bridge-nf-call-iptables=1
	check "a path on a bridged port" srv "$SILKCTL" path add udp port 7002 cpu 1
	n=$(deliver 7002 200)
	check_cond "UDP through br_netfilter: $n of 200 datagrams arrive" "$n" = 200
	id=$(path_id srv 7002)
	n=$(path_stat srv "$id" delivered_pkts)
	check_cond "silk carried them: the path delivered $n" "$n" = 200
	srv "$SILKCTL" path del id "$id"

	# Packets left waiting for br_netfilter's okfn when it goes.
	check "a path that keeps a backlog" srv "$SILKCTL" path add udp port 7003 \
		cpu 1 limit 20000 bytes 64m $THROTTLED
	srv python3 "$HELPERS/udp.py" sink 0.0.0.0 7003 --idle $((20 * SLOW)) \
		>/dev/null &
	listening 7003 udp
	id=$(path_id srv 7003)
	cli taskset -c 0 python3 "$HELPERS/udp.py" send 10.0.0.2 7003 \
		--count 2000 --size 256 >/dev/null
	q=$(path_stat srv "$id" qlen)
	check_cond "packets are queued when br_netfilter goes ($q)" "$q" -gt 200
	rmmod br_netfilter
	check_cond "rmmod br_netfilter with packets queued for it succeeds" "$?" = 0
	# Out of the budget's way, so that the worker meets them at once.
	srv "$SILKCTL" path change id "$id" class fp prio 1 >/dev/null
	drained srv "$id"
	gone=$(path_stat srv "$id" devgone_pkts)
	deliv=$(path_stat srv "$id" delivered_pkts)
	drop=$(path_stat srv "$id" dropped_pkts)
	log "delivered $deliv, gone with br_netfilter $gone, dropped early $drop"
	check_cond "what waited for br_netfilter was dropped and counted ($gone)" "$gone" -ge "$q"
	check_cond "every packet is accounted for" $((deliv + gone + drop)) = 2000
	srv "$SILKCTL" path del id "$id"
	# Its sink would wait out its idle time.
	pkill -f 'udp.py sink 0.0.0.0 7003 '
	wait

	check "a path on the bridge without br_netfilter" srv "$SILKCTL" path add udp port 7004 cpu 1
	n=$(deliver 7004 200)
	check_cond "and it delivers: $n of 200 datagrams arrive" "$n" = 200
else
	for c in "a path on a bridged port" "UDP through br_netfilter" \
		 "the path delivered them" "a path that keeps a backlog" \
		 "packets are queued" "rmmod br_netfilter" "dropped and counted" \
		 "every packet is accounted for" "a path without br_netfilter" \
		 "and it delivers"; do
		skip "$c" "no br_netfilter module"
	done
fi

## 3. a socket assigned by a TC program
ip -n srv link del br0 2>/dev/null && ip -n srv addr replace 10.0.0.2/24 dev vb
obj=$TMP/sk_assign.o
why=
if ! modprobe sch_ingress 2>/dev/null || ! modprobe cls_bpf 2>/dev/null; then
	why="no clsact qdisc or BPF classifier in this kernel"
elif ! clang -O2 -target bpf -I"/usr/include/$(gcc -dumpmachine)" \
	-c "$HELPERS/sk_assign.bpf.c" -o "$obj" 2>"$TMP/clang.err"; then
	log "$(head -n 3 "$TMP/clang.err")"
	why="cannot build a BPF program (clang, libbpf-dev)"
fi
if [ -n "$why" ]; then
	for c in "the TC program loads" "a path that keeps a backlog" \
		 "the program assigned sockets" "they wait" "the socket closes" \
		 "every packet is accounted for"; do
		skip "$c" "$why"
	done
else
	ip netns exec srv tc qdisc add dev vb clsact
	check "the TC program loads (bpf_sk_assign for udp 7005)" \
		ip netns exec srv tc filter add dev vb ingress bpf da obj "$obj" sec tc
	# Counts what the program marked, before silk sees it.
	ip netns exec srv nft -f - <<-'EOF'
		table inet skassign {
			counter marked { }
			chain pre {
				type filter hook prerouting priority -450;
				meta mark 0x5a counter name marked
			}
		}
	EOF
	check "a path that keeps a backlog" srv "$SILKCTL" path add udp port 7005 \
		cpu 1 limit 20000 bytes 64m $THROTTLED
	id=$(path_id srv 7005)
	srv python3 "$HELPERS/udp.py" sink 0.0.0.0 7005 --idle $((60 * SLOW)) \
		>/dev/null &
	listening 7005 udp
	cli python3 "$HELPERS/udp.py" send 10.0.0.2 7005 --count 500 \
		--rate 2000 >/dev/null
	n=$(nft_count srv skassign marked)
	check_cond "the program assigned sockets to $n datagrams" "$n" -ge 500
	q=$(path_stat srv "$id" qlen)
	check_cond "they wait on silk's path ($q) while their socket closes" "$q" -gt 100
	pkill -f "udp.py sink 0.0.0.0 7005"
	check "the socket closes" poll 10 eval \
		'! ip netns exec srv ss -Hlun "sport = :7005" | grep -q .'
	# It is freed after a grace period; then deliver.
	sleep 1
	srv "$SILKCTL" path change id "$id" class fp prio 1 >/dev/null
	drained srv "$id"
	deliv=$(path_stat srv "$id" delivered_pkts)
	drop=$(path_stat srv "$id" dropped_pkts)
	log "delivered $deliv to the closed socket's last reference, dropped early $drop"
	check_cond "every packet is accounted for" $((deliv + drop)) = 500
	srv "$SILKCTL" path del id "$id"
	ip netns exec srv nft delete table inet skassign
	ip netns exec srv tc qdisc del dev vb clsact
fi

finish
