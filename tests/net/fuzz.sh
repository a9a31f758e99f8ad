#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Bad input at volume (issue 7), in a namespace of its own:
#  - an unprivileged user's random and mutated netlink messages: every one
#    answered, none changes anything (the configuration is the same after);
#  - root's: every one answered, and the sampled refused ones leave the
#    configuration as it was (tests/helpers/nlfuzz.c);
#  - setsockopt/getsockopt on silk's options from sockets of every kind,
#    privileged and not: lengths honoured, no unprivileged raise
#    (tests/helpers/sofuzz.c);
#  - a user namespace's owner manages its own network namespace's silk and
#    nothing else.
# SILK_NLFUZZ_COUNT (default 100000) messages in all (make check-debug:
# 20000, as the debug kernel answers them tens of times slower), and
# SILK_SOFUZZ_COUNT (default 100000) socket-option calls in each mode.
#
# vm: shares the machine (no check depends on timing: tests/run runs it
# beside another VM)
source "$(dirname "$0")/../lib.sh"
plan 17

NL=${SILK_NLFUZZ_COUNT:-100000}
SO=${SILK_SOFUZZ_COUNT:-100000}
FUZZ=$ROOT/tests/helpers
NOBODY="setpriv --reuid=65534 --regid=65534 --clear-groups"
fz() { ip netns exec fz "$@"; }
# state: what an operator sees of the namespace's configuration.
state() { config_state fz; }

silk_load || { fail "silk loads"; finish; }
ip netns add fz
fz ip link set lo up
# Something to change: a path, a rule with a condition, a group.
fz "$SILKCTL" path add udp port 9000 prio 3 name seeded
fz "$ROOT/tools/tcpchains" -A a -p 80 -o 8080
fz "$ROOT/tools/tcpchains" -a a -p 80 -i 10.1.0.0/16 -r 8081
fz "$SILKCTL" group add seeded rate 50 port 8080
state >"$TMP/state.0"
check_cond "the seeded configuration is there" \
	"$(grep -c seeded "$TMP/state.0")" -ge 2

## Unprivileged
n=$((NL / 5))
if fz $NOBODY "$FUZZ/nlfuzz" -u -n "$n" -s 1 >"$TMP/nl.u" 2>"$TMP/nl.u.err"; then
	pass "unprivileged: $n messages answered, none changed anything ($(cat "$TMP/nl.u"))"
else
	fail "unprivileged: $n messages answered, none changed anything"
	sed 's/^/#   /' "$TMP/nl.u" "$TMP/nl.u.err" | head -n 20
fi
state >"$TMP/state.1"
check "unprivileged: the configuration is as it was" diff -u "$TMP/state.0" "$TMP/state.1"
check_cond "unprivileged: refused for want of privilege" \
	"$(jq '.errors["Operation not permitted"] // 0' "$TMP/nl.u")" -gt 0

## Privileged
n=$((NL - NL / 5))
if fz "$FUZZ/nlfuzz" -n "$n" -s 2 -c 8 >"$TMP/nl.p" 2>"$TMP/nl.p.err"; then
	pass "root: $n messages answered, sampled refusals changed nothing ($(cat "$TMP/nl.p"))"
else
	fail "root: $n messages answered, sampled refusals changed nothing"
	sed 's/^/#   /' "$TMP/nl.p" "$TMP/nl.p.err" | head -n 20
fi
check_cond "root: some messages were accepted ($(jq .ok "$TMP/nl.p"))" \
	"$(jq .ok "$TMP/nl.p")" -gt 100
check_cond "root: refusals were checked ($(jq .checked "$TMP/nl.p"))" \
	"$(jq .checked "$TMP/nl.p")" -gt $((n / 50))
check "silk still answers" fz "$SILKCTL" stats

## Socket options
if fz $NOBODY "$FUZZ/sofuzz" -u -n "$SO" -s 3 >"$TMP/so.u" 2>"$TMP/so.u.err"; then
	pass "unprivileged socket options: no raise, lengths honoured ($(cat "$TMP/so.u"))"
else
	fail "unprivileged socket options: no raise, lengths honoured"
	sed 's/^/#   /' "$TMP/so.u" "$TMP/so.u.err" | head -n 20
fi
check_cond "unprivileged socket options: some succeeded" "$(jq .set_ok "$TMP/so.u")" -gt 0
# A mirrored EDF budget of 1 us leaves a killed child a tick's overrun to
# exit in: enough on a stock kernel, not on a slow one (tests/helpers/sofuzz.c).
if fz "$FUZZ/sofuzz" -n "$SO" -s 4 -r $((SLOW > 1 ? 2000 : 0)) >"$TMP/so.p" 2>"$TMP/so.p.err"; then
	pass "root socket options: lengths honoured ($(cat "$TMP/so.p"))"
else
	fail "root socket options: lengths honoured"
	sed 's/^/#   /' "$TMP/so.p" "$TMP/so.p.err" | head -n 20
fi

## A user namespace's owner
check "a user namespace's owner adds a path in its own network namespace" \
	$NOBODY unshare -Urn sh -c "ip link set lo up && $SILKCTL path add udp port 9 prio 5 && $SILKCTL path show | grep -q 'port 9 '"
STATE_NS='' check_refused "a user namespace's owner cannot change the initial namespace" \
	"not permitted" $NOBODY unshare -Ur "$SILKCTL" path add udp port 9 prio 5
STATE_NS=fz check_refused "nor a namespace its user namespace does not own" \
	"not permitted" fz $NOBODY unshare -Ur "$SILKCTL" path del udp port 9000

finish
