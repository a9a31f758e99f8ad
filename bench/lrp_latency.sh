#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# LRP figure 4 (issue 3), inside one VM with 2 vCPUs: round-trip latency of
# a UDP ping-pong service (echo sink on CPU 1, 20 pings/s from cli) while
# another UDP port on the same server is blasted from CPU 0 at rising
# rates. RPS puts the server's receive processing on CPU 1, with the echo
# service. Configurations:
#   stock  no paths: both ports processed eagerly at softirq priority
#   silk   echo port on a prio 10 path, blasted port on a lazy prio 0 path
#          whose receiver never reads
# Metric: p50 and p99 round trip, as a ratio to the same configuration's
# unloaded p99.
source "$(dirname "$0")/../tests/lib.sh"
RATES=${SILK_BENCH_RATES:-"0 5000 10000 20000 40000"}
PINGS=${SILK_BENCH_PINGS:-300}
res=$SILK_VM_OUT/result
mkdir -p "$res"
raw=$res/lrp_latency.jsonl
: >"$raw"

silk_load || exit 1
setup_pair
srv sh -c 'echo 2 >/sys/class/net/vb/queues/rx-0/rps_cpus'
srv taskset -c 1 python3 "$HELPERS/udp.py" sink 0.0.0.0 7200 --echo --idle 100000 >/dev/null &
# The blasted port's receiver never reads.
srv python3 -c '
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("0.0.0.0", 7000)); time.sleep(100000)' &
sleep 1

config() {
	for id in $(srv "$SILKCTL" -j path show | jq '.[].id'); do
		srv "$SILKCTL" path del id "$id"
	done
	if [ "$1" = silk ]; then
		srv "$SILKCTL" path add udp port 7200 cpu 1 prio 10
		srv "$SILKCTL" path add udp port 7000 cpu 1 prio 0 limit 256 lazy on
	fi
}

for c in stock silk; do
	config "$c"
	for rate in $RATES; do
		if [ "$rate" != 0 ]; then
			# Not through cli(): $! must be sockperf itself.
			ip netns exec cli taskset -c 0 sockperf tp -i 10.0.0.2 -p 7000 \
				-m 64 -t 600 --mps="$rate" >/dev/null 2>&1 &
			blast=$!
			sleep 1
		fi
		cli python3 "$HELPERS/udp.py" ping 10.0.0.2 7200 --count "$PINGS" \
			--rate 20 >"$TMP/ping.json"
		[ "$rate" != 0 ] && { kill "$blast"; wait "$blast" 2>/dev/null; }
		echo "{\"config\":\"$c\",\"blast_pps\":$rate,\"p50_us\":$(jq .p50_us "$TMP/ping.json"),\"p99_us\":$(jq .p99_us "$TMP/ping.json"),\"lost\":$(jq .lost "$TMP/ping.json")}" |
			tee -a "$raw"
	done
done
config stock

python3 - "$raw" "$res/lrp_latency.md" <<'EOF'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
by = {}
for r in rows:
    by.setdefault(r["config"], {})[r["blast_pps"]] = r
with open(sys.argv[2], "w") as f:
    f.write("# LRP figure 4: ping-pong latency while another port is blasted\n\n")
    f.write("Echo service on CPU 1 (20 pings/s); another UDP port blasted from\n"
            "CPU 0; RPS puts receive processing on CPU 1. p99 as a ratio to\n"
            "the same configuration's unloaded p99 (`bench/run lrp_latency`).\n\n")
    f.write("| blast pps | stock p50 us | stock p99 us | stock p99 ratio | stock lost | "
            "silk p50 us | silk p99 us | silk p99 ratio | silk lost |\n")
    f.write("|---|---|---|---|---|---|---|---|---|\n")
    for rate in sorted(by["stock"]):
        s, k = by["stock"][rate], by["silk"][rate]
        s0, k0 = by["stock"][0]["p99_us"], by["silk"][0]["p99_us"]
        f.write("| %d | %.0f | %.0f | %.2f | %d | %.0f | %.0f | %.2f | %d |\n" % (
            rate, s["p50_us"], s["p99_us"], s["p99_us"] / s0, s["lost"],
            k["p50_us"], k["p99_us"], k["p99_us"] / k0, k["lost"]))
try:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    for c, lab in (("stock", "stock Linux"), ("silk", "silk")):
        xs = sorted(by[c])
        plt.plot(xs, [by[c][x]["p99_us"] / by[c][0]["p99_us"] for x in xs],
                 marker="o", label=lab)
    plt.xlabel("blast rate on the other port (datagrams/s)")
    plt.ylabel("p99 round trip / unloaded p99")
    plt.legend()
    plt.title("LRP fig. 4: latency under a blast to another port")
    plt.savefig(sys.argv[2].replace(".md", ".png"), dpi=100)
except ImportError:
    pass
EOF
cat "$res/lrp_latency.md"
