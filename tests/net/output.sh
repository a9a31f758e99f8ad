#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Output socket groups (issue 6; Zhang et al. table 1): nginx serves a large
# file on 8080, in a group capped at 4 MB/s, and on 8090, in no group;
# vsftpd serves it on 21 in passive mode, in a group capped at 2 MB/s whose
# port 21 is marked ftp.
#  - 1, 2, 4, 8 and 16 restricted curl downloads at once never exceed the
#    cap by more than 5% in aggregate (what the server's connections got over
#    one window), use most of it, and share it fairly,
#    while an unrestricted download beside them gets the rest of the link;
#  - FTP data connections announced by PASV (227) and EPSV (229) replies
#    join the group of the control port, and only with ftp marked;
#  - a connection that sends little leaves its share to the others;
#  - a new cap applies to running downloads; deleting the group lets them
#    go;
#  - bad groups refused; the sensors stay on while the group needs them.
source "$(dirname "$0")/../lib.sh"
plan 72

CAP=4000000
CAP2=8000000 # the cap after "group change"
silk_load || { fail "silk loads"; finish; }
setup_pair
truncate -s 2G "$TMP/big"
nginx_start -w 2 -c 4096 -b 4096 -H "sendfile on;" -R -f "$TMP/big" 8080 8090
listening 8090

sc() { srv "$SILKCTL" "$@"; }
# dl PORT SECS [curl args]: bytes downloaded in SECS seconds.
dl() {
	local port=$1 secs=$2
	shift 2
	cli curl -s -o /dev/null --max-time "$secs" -w '%{size_download}\n' \
		"$@" "http://10.0.0.2:$port/big"
}

check "group add web output rate 4000000 port 8080" \
	sc group add web output rate 4000000 port 8080
check_cond "the sensors are on for it" "$(sc -j stats | jq .meter)" = true

# What one unrestricted download gets alone: the premise of "it gets the
# rest" (a debug kernel carries less than the cap and twice the cap).
base=$(dl 8090 5)
log "unrestricted alone: $base bytes in 5 s"
# 5x: the debug kernel carried 51-75 MB alone (2.5-3.8x), and beside the
# restricted ones, which cost it CPU too, 37-61 MB.
fast=0
[ "$base" -gt $((CAP * 5 * 5)) ] && fast=1
slow_kernel="alone it got $base bytes in 5 s, not 5x the HTTP cap: this kernel cannot show it"
# The aggregate is what the server's connections got over one 4 s window
# once all are established.
for n in 1 2 4 8 16; do
	rm -f "$TMP"/r.*
	pids=
	for i in $(seq "$n"); do
		dl 8080 $((9 * SLOW)) >"$TMP/r.$i" &
		pids="$pids $!"
	done
	wait_established srv '( sport = :8080 )' "$n"
	dl 8090 5 >"$TMP/free" &
	pf=$!
	rate=$(acked_rate srv '( sport = :8080 )' 4)
	# Their time is scaled to outlast the window on a slow kernel: end them.
	pkill -f 'curl .*:8080/big'
	wait $pids $pf
	free=$(cat "$TMP/free")
	jain=$(jain "$TMP/acked.each")
	log "$n restricted: $rate B/s (cap $CAP; Jain's index $jain); unrestricted: $free bytes in 5 s"
	log "each, kB in 4 s: $(sort -n "$TMP/acked.each" | awk '{ printf "%d ", $1 / 1000 }')"
	check_cond "$n restricted: aggregate within the cap + 5% ($rate B/s)" \
		"$rate" -le $((CAP * 105 / 100))
	check_cond "$n restricted: they use the cap (>= 70%)" \
		"$rate" -ge $((CAP * 70 / 100))
	check_cond "$n restricted: shared fairly (Jain's index $jain >= 0.9)" \
		"$(awk -v j="$jain" 'BEGIN { print (j >= 0.9) }')" = 1
	if [ "$fast" = 1 ]; then
		check_cond "$n restricted: the unrestricted one gets the rest (> 2x the cap)" \
			"$free" -gt $((CAP * 5 * 2))
	else
		skip "$n restricted: the unrestricted one gets the rest" "$slow_kernel"
	fi
done

# Work-conserving: a slow reader (200 kB/s, a small receive buffer, so that
# TCP sees it) leaves its share to a bulk download.
cli python3 -c '
import socket, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 32768)
s.connect(("10.0.0.2", 8080))
s.sendall(b"GET /big HTTP/1.0\r\n\r\n")
n, end = 0, time.monotonic() + 5
while time.monotonic() < end:
    n += len(s.recv(20000))
    time.sleep(0.1)
print(n)
' >"$TMP/slow" &
spid=$!
bulk=$(dl 8080 5)
wait $spid
slow=$(cat "$TMP/slow")
log "bulk $bulk bytes, slow (200 kB/s) $slow bytes in 5 s"
check_cond "the bulk download gets what the slow one leaves (>= 70% of the cap)" \
	"$bulk" -ge $((CAP * 5 * 70 / 100))
check_cond "together within the cap + 5%" "$((bulk + slow))" -le $((CAP * 5 * 105 / 100))

# A new cap applies to running downloads.
dl 8080 8 >"$TMP/a" &
pa=$!
dl 8080 8 >"$TMP/b" &
pb=$!
sleep 3
check "group change web rate $CAP2" sc group change web rate "$CAP2"
# members_is N: the group's last pacing round (every 100 ms) shared its rate
# among N connections, those accepted from its ports and not yet closed;
# leaves what it read in members.
members_is() {
	members=$(sc -j group show web | jq '.[0].members')
	[ "$members" = "$1" ]
}
# The two downloads have 5 s to go; they are the group's only connections
# (the earlier ones were closed by then).
poll 2 members_is 2
m_run=$members
wait $pa $pb
total=$(($(cat "$TMP/a") + $(cat "$TMP/b")))
# 3 s at 4 MB/s, then 5 s at 8 MB/s: 52 MB, + 8% (two connections'
# bursts; stock 52.0 MB, the debug kernel 53.7 and 55.0); held to 4 MB/s
# it would be 32 MB.
log "cap 4 MB/s for 3 s, then 8 MB/s for 5 s: $total bytes"
check_cond "the new cap applied to running downloads (40..56.2 MB)" \
	"$(awk -v t="$total" 'BEGIN { print (t >= 40e6 && t <= 52e6 * 1.08) }')" = 1
# curl closed them as it ended: none is left once a round has seen it.
poll 5 members_is 0
check_cond "the group counts its connections: 2 while the two downloads run, 0 after ($m_run, then $members)" \
	"$m_run $members" = "2 0"

# FTP: vsftpd in passive mode; the data ports join the control port's group.
mkdir -p "$TMP/ftp"
chmod 755 "$TMP/ftp"
ln "$TMP/big" "$TMP/ftp/big" 2>/dev/null || cp --sparse=always "$TMP/big" "$TMP/ftp/big"
vsftpd_start "$TMP/ftp"
listening 21
FCAP=2000000
# ftpdl SECS [curl args]: bytes of /big in SECS seconds over passive FTP.
ftpdl() {
	local secs=$1
	shift
	cli curl -s -o /dev/null --max-time "$secs" -w '%{size_download}\n' \
		"$@" ftp://10.0.0.2/big
}
check "group add ftpnoflag output rate 2000000 port 21 (no ftp)" \
	sc group add ftpnoflag output rate 2000000 port 21
b=$(ftpdl 4)
log "FTP download, port 21 in a group without ftp: $b bytes in 4 s"
check_cond "without ftp the data connection is not held (> 2x the cap)" \
	"$b" -gt $((FCAP * 4 * 2))
check "group del ftpnoflag" sc group del ftpnoflag
check "group add ftpg output rate 2000000 port 21 ftp" \
	sc group add ftpg output rate 2000000 port 21 ftp
for n in 1 2 4 8 16; do
	rm -f "$TMP"/f.*
	pids=
	for i in $(seq "$n"); do
		# Half the clients use PASV (227), half EPSV (229).
		if [ $((i % 2)) = 0 ]; then
			ftpdl $((9 * SLOW)) --disable-epsv >"$TMP/f.$i" &
		else
			ftpdl $((9 * SLOW)) >"$TMP/f.$i" &
		fi
		pids="$pids $!"
	done
	wait_established srv '( sport >= :30000 and sport <= :30999 )' "$n"
	# A data connection is up before its RETR: the window starts once
	# each carries data (on the debug kernel, 16 measured 0 B/s when
	# those idle at its start were left out).
	poll 5 sending srv '( sport >= :30000 and sport <= :30999 )' "$n"
	# The data ports are in the group while their connections are open.
	dp=$(sc -j group show ftpg | jq '.[0].data_ports')
	dl 8090 3 >"$TMP/free" &
	pf=$!
	rate=$(acked_rate srv '( sport >= :30000 and sport <= :30999 )' 4)
	pkill -f 'curl .*ftp://10.0.0.2/big'
	wait $pids $pf
	free=$(cat "$TMP/free")
	log "FTP, $n restricted: $rate B/s (cap $FCAP; $dp data ports in the group); unrestricted HTTP: $free bytes in 3 s"
	check_cond "FTP, $n restricted: aggregate within the cap + 5% ($rate B/s)" \
		"$rate" -le $((FCAP * 105 / 100))
	check_cond "FTP, $n restricted: they use the cap (>= 60%)" \
		"$rate" -ge $((FCAP * 60 / 100))
	if [ "$fast" = 1 ]; then
		check_cond "FTP, $n restricted: the unrestricted one gets the rest" \
			"$free" -gt $((FCAP * 3 * 2))
	else
		skip "FTP, $n restricted: the unrestricted one gets the rest" "$slow_kernel"
	fi
	check_cond "FTP, $n restricted: their $n data ports joined the group ($dp)" \
		"$dp" = "$n"
done
for _ in $(seq 30); do
	dp=$(sc -j group show ftpg | jq '.[0].data_ports')
	[ "$dp" = 0 ] && break
	sleep 0.1
done
check_cond "closed data connections took their ports out of the group ($dp)" \
	"$dp" = 0
check "group del ftpg" sc group del ftpg

# Bad groups and the sensors.
bad() { local desc=$1 reason=$2; shift 2; check_refused "$desc" "$reason" srv "$SILKCTL" "$@"; }
bad "output rate 0" 'invalid rate "0"' group add x output rate 0 port 8081
bad "output rate below 1024 B/s" 'invalid rate "100"' group add x output rate 100 port 8081
bad "an unknown unit" 'invalid rate "5furlongs"' group add x output rate 5furlongs port 8081
bad "a port in another output group" "in another group" \
	group add x output rate 1mbit port 8080
bad "output without a rate" "needs a rate" group add x output port 8081
bad "weights in an output group" "only the ports of an accept-ratio group" \
	group add x output rate 1mbit port 8081 weight 2
bad "ftp in a rate group" "only the ports of an output group serve FTP" \
	group add x rate 5 port 8081 ftp
bad "ftp before any port" '"ftp" belongs after a port' group add x output rate 1mbit ftp port 8081
bad "meter off while an output group needs it" "output groups use the sensors" meter off
bad "meter off with an interval while an output group needs it" \
	"output groups use the sensors" meter off interval 500
check "an output and an accept group may share a port" \
	sc group add acc rate 1000 port 8080
check "group del acc" sc group del acc
check_nl_refused "an output rate of 10 B/s" "at least 1024 bytes" srv \
	GROUP_NEW GROUP_A_NAME=str:y GROUP_A_TYPE=u8:2 GROUP_A_OUTPUT_RATE=u64:10

# Deleting the group lets the connections go.
dl 8080 4 >"$TMP/after" &
sleep 1
t0=$(date +%s%N)
check "group del web" sc group del web
t1=$(date +%s%N)
wait $!
log "a download with the group deleted after 1 s (which took $(((t1 - t0) / 1000000)) ms): $(cat "$TMP/after") bytes in 4 s"
# 1 s held to the group's rate (8 MB/s since the change above), then 3 s
# free: more than 1.5x the rate over the 4 s (held: 31 MB, 0.97x, when
# the deletion was left out). A kernel must carry 3x the rate alone to
# show it: the debug kernel, at 2.2x, got 1.46x (part of its 3 s went to
# the deletion itself).
if [ "$base" -gt $((CAP2 * 5 * 3)) ]; then
	check_cond "deleting the group lets running downloads go (> 1.5x its rate)" \
		"$(cat "$TMP/after")" -gt $((CAP2 * 4 * 3 / 2))
else
	skip "deleting the group lets running downloads go" \
		"alone a download got $base bytes in 5 s, not 3x the group's rate"
fi
check_cond "and turns the sensors it needed off" "$(sc -j stats | jq .meter)" = false

finish
