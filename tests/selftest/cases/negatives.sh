#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Self-test case: lib.sh's negative checks fail when what they guard is
# missing: a refusal by a crashed tool, for another reason, or that changed
# the configuration; a raw request that was accepted, or that found no
# silk; a state read that failed; a finish that cannot read the stats.
source "$(dirname "$0")/../../lib.sh"
plan 14

# expect_fail DESC CMD...: CMD, lib.sh checks run in a subshell, printed a
# FAIL line.
expect_fail() {
	local desc=$1 out
	shift
	out=$( ("$@") 2>&1)
	if grep -q '^FAIL: ' <<<"$out"; then
		pass "$desc"
	else
		fail "$desc"
		sed 's/^/#   /' <<<"$out" | head -n 5
	fi
}

silk_load || fail "silk loads"
setup_pair
check "a path to compare against" srv "$SILKCTL" path add udp port 5001
expect_fail "check_refused: a crashed tool is not a refusal" \
	check_refused "x" "invalid port" srv sh -c 'kill -SEGV $$'
expect_fail "check_refused: a refusal for another reason" \
	check_refused "x" "invalid port" srv sh -c 'echo "Error: no such file"; exit 1'
expect_fail "check_refused: a refusal that changed the configuration" \
	check_refused "x" "invalid port" srv sh -c \
	"$SILKCTL path add udp port 5002; echo 'Error: invalid port'; exit 1"
expect_fail "check_nl_refused: an accepted request" \
	check_nl_refused "x" "" srv STATS_GET
expect_fail "check_nl_refused: a refusal for another reason" \
	check_nl_refused "x" "no such reason" srv PATH_ADD PATH_PROTO=u8:17 PATH_PORT=u16:0
check_refused "check_refused: a true refusal passes" "out of range|invalid port" \
	srv "$SILKCTL" path add udp port 0
before=$(config_state srv)
check_unchanged "check_unchanged: an unchanged configuration passes" "$before" srv
srv "$SILKCTL" path add udp port 5003
expect_fail "check_unchanged: a changed configuration" \
	check_unchanged "x" "$before" srv
before=$(config_state srv)
srv "$SILKCTL" meter on
expect_fail "check_unchanged: a changed namespace setting (meter on)" \
	check_unchanged "x" "$before" srv
# Each failed read differs from every other.
a=$(SILKCTL=false config_state srv)
rc=$?
b=$(SILKCTL=false config_state srv)
check_cond "config_state: a failed read fails (status $rc) and never compares equal" \
	"$rc" != 0 -a "$a" != "$b"
expect_fail "check_nl_refused: no silk to answer" \
	eval 'rmmod silk; check_nl_refused "x" "" srv PATH_ADD PATH_PROTO=u8:17 PATH_PORT=u16:0'
silk_load || fail "silk loads again"
expect_fail "finish: stats it cannot read" eval 'SILKCTL=false; finish'
lsmod | grep -q '^silk ' && rmmod silk
finish
