#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Deferred socket events (sockev_defer, the default on PREEMPT_RT): what
# connection paths and sensors do at a connection's events runs in silk's
# socket event thread, from a fixed pool of records. With fewer records
# (sockev_records) than connections, those beyond are not followed and are
# counted as missed; nothing leaks: every connection path and sensor
# record of a closed connection goes, and the records come back for the
# next connections. A socket group's listener that finds none is counted.
# vm: shares the machine
source "$(dirname "$0")/../lib.sh"
plan 18

silk_load sockev_defer=1 sockev_records=4 || { fail "silk loads"; finish; }
setup_pair
check "path add tcp port 8080 conns on" srv "$SILKCTL" path add tcp port 8080 conns on
check "meter on" srv "$SILKCTL" meter on
check_cond "the socket event thread runs" "$(pgrep -c '^silk_sockev$')" = 1

stat() { srv "$SILKCTL" -j stats | jq -r ".$1"; }
live() { srv "$NETMETER" -j -p 8080 ports | jq -r '.ports[0].live'; }

# hold N: a server on 8080 that keeps what it accepts, and N connections
# to it kept open; unhold: both ends close.
hold() {
	# Not this shell's jobs, and no shell waits for them (exec): no
	# "Terminated" when they are killed.
	(exec ip netns exec srv python3 "$HELPERS/holdconns.py" serve 10.0.0.2 8080 \
		--count-file "$TMP/served" &)
	listening 8080
	(exec ip netns exec cli python3 "$HELPERS/holdconns.py" open 10.0.0.2 8080 "$1" \
		--count-file "$TMP/opened" &)
}
unhold() {
	pkill -f 'holdconns.py (open|serve) 10.0.0.2 8080'
	poll 10 eval '! pgrep -f "holdconns.py (open|serve) 10.0.0.2 8080" >/dev/null'
}

hold 20
poll $((30 * SLOW)) eval '[ "$(cat "$TMP/served")" = 20 ]'
check_cond "20 connections accepted" "$(cat "$TMP/served")" = 20
# The thread has caught up once every event it was given is counted.
poll 10 eval '[ $(($(stat conns) + $(stat conn_overflows))) = 20 ]'
conns=$(stat conns)
check_cond "4 records: 4 connections followed, with paths ($conns)" "$conns" = 4
check_cond "the other 16 counted as connection path overflows ($(stat conn_overflows))" \
	"$(stat conn_overflows)" = 16
check_cond "and as missed by the sensors ($(stat meter_missed))" "$(stat meter_missed)" = 16
check_cond "the sensors count the 4 followed as live ($(live))" "$(live)" = 4

# A grouped port's listener that starts now finds no record free either.
check "group add g rate 1000 port 8090" srv "$SILKCTL" group add g rate 1000 port 8090
(exec ip netns exec srv python3 "$HELPERS/holdconns.py" serve 10.0.0.2 8090 \
	--count-file "$TMP/served.8090" &)
listening 8090
poll 10 eval '[ "$(stat group_missed)" = 1 ]'
check_cond "a grouped listener with no record free: missed by groups ($(stat group_missed))" \
	"$(stat group_missed)" = 1
pkill -f 'holdconns.py serve 10.0.0.2 8090'
check "group del g" srv "$SILKCTL" group del g

# Both ends close (the server's sockets would wait in CLOSE_WAIT).
unhold
poll 20 eval '[ "$(stat conns)" = 0 ] && [ "$(live)" = 0 ]'
check_cond "closed: no connection path left ($(stat conns))" "$(stat conns)" = 0
check_cond "closed: no live connection counted ($(live))" "$(live)" = 0

# Their records are back: the next connections are all followed.
hold 3
poll $((30 * SLOW)) eval '[ "$(stat conns)" = 3 ]'
check_cond "the records came back: 3 new connections, 3 paths ($(stat conns))" \
	"$(stat conns)" = 3
check_cond "no new overflow ($(stat conn_overflows))" "$(stat conn_overflows)" = 16
unhold
finish
