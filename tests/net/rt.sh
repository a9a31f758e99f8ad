#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Smoke test for every kernel flavour, PREEMPT_RT included (make check-rt
# boots Debian's -rt-amd64 kernel for it): paths of each class deliver UDP
# and TCP, tcpchains forwards by address and by content, a backlog drains
# at rmmod. The features that follow sockets through probes (connection
# paths, mirroring, sensors, socket groups) can be turned on; on
# PREEMPT_RT their work runs in silk's socket event thread.
# vm: shares the machine (no check depends on timing: what works on which kernel)
source "$(dirname "$0")/../lib.sh"
plan 22
TC=$ROOT/tools/tcpchains
rt=0
preempt_rt && rt=1
log "kernel $(uname -r), PREEMPT_RT: $([ "$rt" -gt 0 ] && echo yes || echo no)"

silk_load || { fail "silk loads"; finish; }
setup_pair
check "path add udp port 6001 prio 5" srv "$SILKCTL" path add udp port 6001 prio 5
check "path add udp port 6002 class wfq weight 10" \
	srv "$SILKCTL" path add udp port 6002 class wfq weight 10
check "path add udp port 6003 class edf" \
	srv "$SILKCTL" path add udp port 6003 class edf deadline 10ms runtime 2ms
sinks=
# The last sink's first datagram comes after two senders' runs: on the
# debug kernel more than the 30 s a sink waits for one by default.
for p in 6001 6002 6003; do
	ip netns exec srv python3 "$HELPERS/udp.py" sink 0.0.0.0 $p --idle 3 \
		--first $((60 * SLOW)) >"$TMP/sink.$p" &
	sinks="$sinks $!"
done
for p in 6001 6002 6003; do listening $p udp; done
for p in 6001 6002 6003; do
	cli python3 "$HELPERS/udp.py" send 10.0.0.2 $p --count 500 --rate 2000 >/dev/null
done
wait $sinks
for p in 6001 6002 6003; do
	id=$(srv "$SILKCTL" -j path show udp port $p | jq '.[0].id')
	check_cond "udp $p: 500 datagrams through its path ($(jq .intact "$TMP/sink.$p") received, $(path_stat srv "$id" delivered_pkts) by silk)" \
		"$(jq .intact "$TMP/sink.$p")/$(path_stat srv "$id" delivered_pkts)" = 500/500
done

mkdir -p "$TMP/www/a" "$TMP/www/b"
chmod -R 755 "$TMP"
echo a >"$TMP/www/a/index.html"
echo b >"$TMP/www/b/index.html"
srv python3 -m http.server 8080 -d "$TMP/www/a" >/dev/null 2>&1 &
srv python3 -m http.server 8081 -d "$TMP/www/b" >/dev/null 2>&1 &
listening 8081
check "path add tcp port 8080 prio 3" srv "$SILKCTL" path add tcp port 8080 prio 3
check_cond "tcp: a request through the path" \
	"$(cli curl -s --max-time 10 http://10.0.0.2:8080/)" = a
check "tcpchains: an address rule 80 -> 8080, 10.0.0.0/24 -> 8081" \
	sh -c "$(printf '%q ' ip netns exec srv "$TC") -A a -p 80 -o 8080 &&
	       $(printf '%q ' ip netns exec srv "$TC") -a a -p 80 -i 10.0.0.0/24 -r 8081"
check_cond "tcpchains: forwarded by address" \
	"$(cli curl -s --max-time 10 http://10.0.0.2:80/)" = b
check "tcpchains: a content rule 81 -> 8080, Host b.example -> 8081" \
	sh -c "$(printf '%q ' ip netns exec srv "$TC") -A c -p 81 -o 8080 &&
	       $(printf '%q ' ip netns exec srv "$TC") -a c -p 81 -s b.example -r 8081"
check_cond "tcpchains: forwarded by content" \
	"$(cli curl -s --max-time 10 -H 'Host: b.example' http://10.0.0.2:81/)" = b
check_cond "tcpchains: the default otherwise" \
	"$(cli curl -s --max-time 10 http://10.0.0.2:81/)" = a

# Deferred on RT, where they must be, or when asked to.
defer=N
[ "$rt" -gt 0 ] && defer=Y
case " ${SILK_MODPARAMS:-} " in *" sockev_defer=1 "* | *" sockev_defer=Y "*) defer=Y ;; esac
check_cond "socket events deferred: $defer" \
	"$(cat /sys/module/silk/parameters/sockev_defer)" = $defer
check "connection paths" srv "$SILKCTL" path add tcp port 8081 conns on
check "mirroring" srv "$SILKCTL" path change tcp port 8080 mirror on
check "sensors" srv "$SILKCTL" meter on
check "socket groups" srv "$SILKCTL" group add g rate 10 port 8080
check_cond "still served after that" "$(cli curl -s --max-time 10 http://10.0.0.2:8080/)" = a
finish
