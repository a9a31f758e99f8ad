#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Bad input is refused with a clear message and changes nothing: silkctl
# arguments, raw netlink requests the tools would never send, unprivileged
# callers, and module parameters.
#
# vm: shares the machine (no check depends on timing: tests/run runs it
# beside another VM)
source "$(dirname "$0")/../lib.sh"
plan 80

GENL="python3 $HELPERS/genl.py"

# Module parameters are range-checked at load and at run time.
modprobe nf_defrag_ipv6
if insmod "$(silk_ko)" burst=0 2>"$TMP/insmod.err"; then
	fail "insmod with burst=0 is refused"
	rmmod silk
elif grep -q 'out of range' "$TMP/insmod.err"; then
	pass "insmod with burst=0 is refused ($(cat "$TMP/insmod.err"))"
else
	fail "insmod with burst=0 is refused as out of range"
	sed 's/^/#   /' "$TMP/insmod.err"
fi
silk_load || { fail "silk loads"; finish; }
for p in "burst 0" "burst 5000" "max_paths 0" "max_queued_bytes 10" \
	"mirror_linger_us 100001" "mirror_linger_us -1"; do
	set -- $p
	old=$(cat /sys/module/silk/parameters/$1)
	if echo "$2" >/sys/module/silk/parameters/$1 2>/dev/null; then
		fail "parameter $1=$2 is refused"
	else
		check_cond "parameter $1=$2 is refused, value kept ($old)" \
			-n "$old" -a "$(cat /sys/module/silk/parameters/$1)" = "$old"
	fi
done

setup_pair
check "path add udp 5001" srv "$SILKCTL" path add udp port 5001 name one
check "path add tcp 80 local 10.0.0.2" srv "$SILKCTL" path add tcp port 80 local 10.0.0.2

# bad DESC REASON SILKCTL-ARGS...: refused, says REASON (an extended
# regex), changes nothing.
bad() {
	local desc=$1 reason=$2
	shift 2
	check_refused "$desc" "$reason" srv "$SILKCTL" "$@"
}

bad "port 0" "invalid port" path add udp port 0
bad "port 70000" "invalid port" path add udp port 70000
bad "port abc" "invalid port" path add udp port abc
bad "no port" "missing port" path add udp
bad "no protocol" "missing protocol" path add port 5000
bad "protocol sctp" "unknown argument" path add sctp port 5000
bad "prefix with host bits" "host bits" path add udp port 5002 remote 10.0.0.1/8
bad "IPv4 prefix /33" "at most 32" path add udp port 5002 remote 10.0.0.0/33
bad "IPv6 prefix /129" "out of range" path add udp port 5002 remote fd00::/129
bad "malformed prefix" "invalid remote prefix" path add udp port 5002 remote 10.0.0/x
bad "local and remote of different families" "family" \
	path add udp port 5002 local 10.0.0.2 remote fd00::/64
bad "family inet with an IPv6 address" "family" \
	path add udp port 5002 family inet local fd00::2
bad "unspecified local address" "unspecified" path add udp port 5002 local 0.0.0.0
bad "limit 0" "out of range" path add udp port 5002 limit 0
bad "limit 2000000" "out of range" path add udp port 5002 limit 2000000
bad "bytes 0" "out of range" path add udp port 5002 bytes 0
bad "bytes 100" "out of range" path add udp port 5002 bytes 100
bad "bytes 2g" "out of range" path add udp port 5002 bytes 2g
bad "bytes 5x" "invalid bytes" path add udp port 5002 bytes 5x
bad "prio 64" "out of range" path add udp port 5002 prio 64
bad "prio 256" "invalid prio" path add udp port 5002 prio 256
bad "cpu 99" "not online" path add udp port 5002 cpu 99
bad "duplicate binding" "already exists" path add udp port 5001
bad "name too long" "longer than" path add udp port 5002 name 0123456789012345678901234567890123
bad "unknown argument" "unknown argument" path add udp port 5002 speed 9
bad "delete unknown id" "no path with this id" path del id 999
bad "delete unknown binding" "no path with this binding" path del udp port 4444
bad "change without changes" "nothing to change" path change udp port 5001
bad "change unknown id" "no path with this id" path change id 999 prio 3
bad "change by id and binding" "by id or by binding" path change id 1 udp port 5001 prio 3
bad "change to offline cpu" "not online" path change udp port 5001 cpu 99
bad "change prio 64" "out of range" path change udp port 5001 prio 64
bad "show unknown id" "no path with this id" path show id 999
bad "unknown command" "unknown command" path frob
bad "unknown object" "unknown" frob

# Batch: stops at the first failure and names the line; earlier lines stay.
printf 'path add udp port 7001\npath add udp port 0\npath add udp port 7002\n' >"$TMP/batch"
out=$(srv "$SILKCTL" -b "$TMP/batch" 2>&1)
rc=$?
check_cond "batch: failing line is named ($out)" "$rc" -ne 0 -a \
	"$(grep -c "Command failed $TMP/batch:2" <<<"$out")" = 1
check_cond "batch: stops at the failure" \
	"$(srv "$SILKCTL" -j path show | jq '[.[].port] | sort | map(tostring) | join(",")')" = '"80,5001,7001"'
out=$(srv "$SILKCTL" -force -b "$TMP/batch" 2>&1)
check_cond "batch -force: goes on after failures" \
	"$(srv "$SILKCTL" -j path show udp port 7002 | jq length)" = 1
srv "$SILKCTL" path del udp port 7001
srv "$SILKCTL" path del udp port 7002

# Raw requests straight to the kernel: the policy and the handlers.
# rbad DESC REASON GENL-ARGS...
rbad() {
	local desc=$1 reason=$2
	shift 2
	check_nl_refused "$desc" "$reason" srv "$@"
}

rbad "port as u32" "" PATH_ADD PATH_A_PROTO=u8:17 PATH_A_PORT=u32:5005
rbad "port 0" "range" PATH_ADD PATH_A_PROTO=u8:17 PATH_A_PORT=u16:0
rbad "protocol 7" "TCP \\(6\\) or UDP \\(17\\)" PATH_ADD PATH_A_PROTO=u8:7 PATH_A_PORT=u16:5005
rbad "missing port" "protocol and a port" PATH_ADD PATH_A_PROTO=u8:17
rbad "attribute type beyond the policy" "" PATH_ADD PATH_A_PROTO=u8:17 PATH_A_PORT=u16:5005 200=u32:1
rbad "reply-only stats in a request" "only appears in replies" \
	PATH_ADD PATH_A_PROTO=u8:17 PATH_A_PORT=u16:5005 PATH_A_STATS=bin:
rbad "id in an add" "kernel assigns" PATH_ADD PATH_A_ID=u32:7 PATH_A_PROTO=u8:17 PATH_A_PORT=u16:5005
rbad "unterminated name" "" PATH_ADD PATH_A_PROTO=u8:17 PATH_A_PORT=u16:5005 PATH_A_NAME=bin:414243
rbad "name of 40 bytes" "" PATH_ADD PATH_A_PROTO=u8:17 PATH_A_PORT=u16:5005 \
	PATH_A_NAME=str:0123456789012345678901234567890123456789
rbad "16-byte IPv4 address" "" PATH_ADD PATH_A_PROTO=u8:17 PATH_A_PORT=u16:5005 \
	PATH_A_LADDR4=bin:00000000000000000000000000000001
rbad "prefix length without prefix" "without a remote prefix" \
	PATH_ADD PATH_A_PROTO=u8:17 PATH_A_PORT=u16:5005 PATH_A_RPLEN=u8:8
rbad "family 3" "AF_INET" PATH_ADD PATH_A_PROTO=u8:17 PATH_A_PORT=u16:5005 PATH_A_FAMILY=u8:3
rbad "two local addresses" "at most one" PATH_ADD PATH_A_PROTO=u8:17 PATH_A_PORT=u16:5005 \
	PATH_A_LADDR4=ip4:10.0.0.2 PATH_A_LADDR6=ip6:fd00::2
rbad "two remote prefixes" "at most one address on each side" PATH_ADD PATH_A_PROTO=u8:17 \
	PATH_A_PORT=u16:5005 PATH_A_RADDR4=ip4:10.0.0.0 PATH_A_RADDR6=ip6:fd00::
rbad "bytes 1 GiB + 1" "range" PATH_ADD PATH_A_PROTO=u8:17 PATH_A_PORT=u16:5005 \
	PATH_A_LIMIT_BYTES=u32:1073741825
rbad "cpu 4294967295" "not online" PATH_ADD PATH_A_PROTO=u8:17 PATH_A_PORT=u16:5005 \
	PATH_A_CPU=u32:4294967295
rbad "delete without a name" "protocol and a port" PATH_DEL
rbad "an unknown command" "" 99
# An attribute the command does not read is refused, not ignored.
srv "$SILKCTL" path add udp port 5099
rbad "a delete that also sets a priority" "Unsupported attribute" \
	PATH_DEL PATH_A_PROTO=u8:17 PATH_A_PORT=u16:5099 PATH_A_PRIO=u8:1
rbad "a lookup that also sets a priority" "Unsupported attribute" \
	PATH_GET PATH_A_PROTO=u8:17 PATH_A_PORT=u16:5099 PATH_A_PRIO=u8:1
rbad "an attribute past the namespace's space in a namespace setting" \
	"Unknown attribute type" NS_SET NS_A_PLACEMENT=u8:1 200=u16:80
# (A dump's start has no extended ack on 6.1: the errno alone.)
rbad "a path dump filtered by a name" "" PATH_GET --dump PATH_A_NAME=str:x
srv "$SILKCTL" path del udp port 5099
check_cond "stats work without attributes" "$(srv $GENL STATS_GET | jq .error)" = 0

# Unprivileged callers read but cannot change; a user namespace owner
# manages its own network namespace and no other.
NOBODY="setpriv --reuid=65534 --regid=65534 --clear-groups"
check_refused "unprivileged add" "not permitted" \
	srv $NOBODY "$SILKCTL" path add udp port 5003
check_refused "unprivileged delete" "not permitted" \
	srv $NOBODY "$SILKCTL" path del udp port 5001
check_refused "unprivileged change" "not permitted" \
	srv $NOBODY "$SILKCTL" path change udp port 5001 prio 9
check_refused "a user namespace changing a namespace it does not own" "not permitted" \
	srv $NOBODY unshare -Ur "$SILKCTL" path add udp port 5003
check "unprivileged users can read paths" srv $NOBODY "$SILKCTL" path show
check "a user namespace owner manages its own network namespace" \
	srv $NOBODY unshare -Urn sh -c "$SILKCTL path add udp port 5003 && $SILKCTL path show | grep -q 'port 5003'"
check_cond "...which does not show in this one" \
	"$(srv "$SILKCTL" -j path show udp port 5003 | jq length)" = 0

finish
