#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# LRP figure 5 (issue 3), inside one VM with 2 vCPUs: nginx (one worker,
# CPU 1) serving wrk (CPU 0, 8 connections, keep-alive) while hping3 (CPU 0)
# SYN-floods another port of the server at rising rates. RPS puts the
# server's receive processing on CPU 1, with nginx. hping3 runs at nice 19,
# so that it floods with what wrk leaves of CPU 0 rather than slowing the
# client down. Configurations:
#   stock  no paths: SYNs are processed eagerly at softirq priority
#   silk   port 8080 on a prio 10 path with connection paths; takeover
#          for everything else, with default paths budgeted as EDF at 1 ms
#          per 10 ms and 64-packet queues, so that the flood (to any port)
#          gets at most 10% of a worker and waits in a short queue
# Metric: requests/s, as a ratio to the same configuration's no-flood rate.
source "$(dirname "$0")/../tests/lib.sh"
SECS=${SILK_BENCH_SECS:-6}
# hping3 -i uN: one SYN every N us; "flood": as fast as it can.
INTERVALS=${SILK_BENCH_INTERVALS:-"none u1000 u200 u50 flood"}
res=$SILK_VM_OUT/result
mkdir -p "$res"
raw=$res/lrp_synflood.jsonl
: >"$raw"

silk_load || exit 1
setup_pair
srv sh -c 'echo 2 >/sys/class/net/vb/queues/rx-0/rps_cpus'
nginx_start -a 10 -b 1024 8080
sleep 1

config() {
	for id in $(srv "$SILKCTL" -j path show | jq '.[].id'); do
		srv "$SILKCTL" path del id "$id"
	done
	if [ "$1" = silk ]; then
		srv "$SILKCTL" path add tcp port 8080 cpu 1 prio 10 conns on
		srv "$SILKCTL" takeover on cpu 1 limit 64 class edf deadline 10ms runtime 1ms
	fi
}

for c in stock silk; do
	config "$c"
	for iv in $INTERVALS; do
		flood=
		if [ "$iv" = flood ]; then
			# Not through cli(): $! must be hping3 itself.
			ip netns exec cli taskset -c 0 nice -n 19 hping3 -S -p 9999 --flood -q 10.0.0.2 >"$TMP/hping.out" 2>&1 &
			flood=$!
		elif [ "$iv" != none ]; then
			ip netns exec cli taskset -c 0 nice -n 19 hping3 -S -p 9999 -i "$iv" -q 10.0.0.2 >"$TMP/hping.out" 2>&1 &
			flood=$!
		fi
		t0=$(date +%s.%N)
		sleep 1
		rps=$(cli taskset -c 0 wrk -t 1 -c 8 -d "$SECS" http://10.0.0.2:8080/ |
			awk '/Requests\/sec/ { print $2 }')
		syn_pps=0
		if [ -n "$flood" ]; then
			# SIGINT: hping3 prints how many SYNs it sent.
			kill -INT "$flood"
			wait "$flood" 2>/dev/null
			n=$(awk '/packets transmitted/ { print $1 }' "$TMP/hping.out")
			syn_pps=$(python3 -c "import time; print(int(${n:-0} / (time.time() - $t0)))")
		fi
		echo "{\"config\":\"$c\",\"flood\":\"$iv\",\"rps\":${rps:-0},\"syn_pps\":$syn_pps}" | tee -a "$raw"
		sleep 1
	done
done
config stock
nginx_stop

python3 - "$raw" "$res/lrp_synflood.md" <<'EOF'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
by = {}
syn = {}
order = []
for r in rows:
    by.setdefault(r["config"], {})[r["flood"]] = r["rps"]
    syn.setdefault(r["config"], {})[r["flood"]] = r.get("syn_pps", 0)
    if r["flood"] not in order:
        order.append(r["flood"])
label = {"none": "no flood", "flood": "hping3 --flood"}
with open(sys.argv[2], "w") as f:
    f.write("# LRP figure 5: web server under a SYN flood to another port\n\n")
    f.write("nginx (1 worker, CPU 1) and wrk (CPU 0, 8 keep-alive connections);\n"
            "hping3 (nice 19) SYN-floods port 9999 from CPU 0; RPS puts receive\n"
            "processing on CPU 1. Requests/s and the ratio to the same\n"
            "configuration's no-flood rate (`bench/run lrp_synflood`).\n\n")
    f.write("| SYN flood | stock SYN/s sent | stock req/s | stock ratio | silk SYN/s sent | silk req/s | silk ratio |\n")
    f.write("|---|---|---|---|---|---|---|\n")
    for iv in order:
        s, k = by["stock"][iv], by["silk"][iv]
        f.write("| %s | %d | %.0f | %.2f | %d | %.0f | %.2f |\n" % (
            label.get(iv, "one SYN every " + iv[1:] + " us"), syn["stock"][iv], s,
            s / by["stock"]["none"], syn["silk"][iv], k, k / by["silk"]["none"]))
try:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    xs = range(len(order))
    for c, lab in (("stock", "stock Linux"), ("silk", "silk")):
        plt.plot(xs, [by[c][iv] / by[c]["none"] for iv in order], marker="o", label=lab)
    plt.xticks(list(xs), [label.get(iv, iv) for iv in order])
    plt.xlabel("SYN flood to another port")
    plt.ylabel("requests/s / no-flood requests/s")
    plt.ylim(0, 1.2)
    plt.legend()
    plt.title("LRP fig. 5: nginx under a SYN flood")
    plt.savefig(sys.argv[2].replace(".md", ".png"), dpi=100)
except ImportError:
    pass
EOF
cat "$res/lrp_synflood.md"
