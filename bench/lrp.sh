#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# LRP figure 3 (issue 3), inside one VM with 2 vCPUs: a UDP sink on CPU 1
# doing fixed CPU work per datagram, offered 0.5x to 10x of its capacity by
# sockperf on CPU 0. RPS sends the receive processing of the server's veth
# to CPU 1 too, so that, as on LRP's single-CPU server, protocol processing
# and the application share one CPU. Configurations:
#   stock  no path: the kernel's eager processing at softirq priority
#   eager  a silk path on CPU 1 (processing in silk's worker)
#   lazy   the same path with lazy on
# Metric: datagrams/s the sink processed. Capacity C is the sink's rate
# with a backlog and little else to do (a lazy path offered 1.5 times what
# the work alone allows), measured first in the same run.
source "$(dirname "$0")/../tests/lib.sh"
SECS=${SILK_BENCH_SECS:-6}
WORK_US=${SILK_BENCH_WORK_US:-400}
FACTORS=${SILK_BENCH_FACTORS:-"0.5 1 2 4 10"}
res=$SILK_VM_OUT/result
mkdir -p "$res"
raw=$res/lrp.jsonl
: >"$raw"

silk_load || exit 1
setup_pair
srv sh -c 'echo 2 >/sys/class/net/vb/queues/rx-0/rps_cpus'

# run RATE: the sink's processed datagrams/s with RATE offered for SECS.
run() {
	local rate=$1 out
	rm -f "$TMP/ready"
	srv taskset -c 1 python3 "$HELPERS/worksink.py" 7000 --work-us "$WORK_US" \
		--secs "$SECS" --rcvbuf 65536 --ready "$TMP/ready" >"$TMP/sink.json" &
	local sink=$!
	for _ in $(seq 100); do [ -e "$TMP/ready" ] && break; sleep 0.1; done
	cli taskset -c 0 sockperf tp -i 10.0.0.2 -p 7000 -m 64 \
		-t $((SECS + 2)) --mps="$rate" >"$TMP/send.txt" 2>&1
	wait "$sink"
	jq .pps "$TMP/sink.json"
}
config() { # NAME
	for id in $(srv "$SILKCTL" -j path show | jq '.[].id'); do
		srv "$SILKCTL" path del id "$id"
	done
	case $1 in
	eager) srv "$SILKCTL" path add udp port 7000 cpu 1 limit 256 ;;
	lazy) srv "$SILKCTL" path add udp port 7000 cpu 1 limit 256 lazy on ;;
	esac
}

config lazy
cap=$(run "$(python3 -c "print(int(1.5e6 / $WORK_US))")")
log "capacity: $cap datagrams/s at ${WORK_US} us of work each"
echo "{\"capacity_pps\":$cap,\"work_us\":$WORK_US}" >>"$raw"

for f in $FACTORS; do
	rate=$(python3 -c "print(max(1, int($f * $cap)))")
	for c in stock eager lazy; do
		config "$c"
		d=$(run "$rate")
		echo "{\"config\":\"$c\",\"factor\":$f,\"offered_pps\":$rate,\"delivered_pps\":$d}" |
			tee -a "$raw"
	done
done
config stock

python3 - "$raw" "$res/lrp.md" <<'EOF'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
cap = rows[0]["capacity_pps"]
data = {}
for r in rows[1:]:
    data.setdefault(r["factor"], {})[r["config"]] = r
with open(sys.argv[2], "w") as f:
    f.write("# LRP figure 3: delivered rate under overload\n\n")
    f.write("UDP sink on CPU 1 with %s us of CPU work per datagram; RPS puts\n"
            "receive processing on CPU 1 too; sockperf offers load from CPU 0.\n"
            "Capacity (lazy path, saturated): %.0f datagrams/s. Delivered rate\n"
            "as a fraction of capacity (`bench/run lrp`).\n\n" % (rows[0]["work_us"], cap))
    f.write("| offered (x capacity) | offered pps | stock | silk eager | silk lazy |\n")
    f.write("|---|---|---|---|---|\n")
    for fac in sorted(data):
        d = data[fac]
        f.write("| %s | %d | %.2f | %.2f | %.2f |\n" % (
            fac, d["lazy"]["offered_pps"],
            d["stock"]["delivered_pps"] / cap, d["eager"]["delivered_pps"] / cap,
            d["lazy"]["delivered_pps"] / cap))
    top = max(data)
    lz = [data[k]["lazy"]["delivered_pps"] for k in data]
    f.write("\nsilk lazy at %sx delivers %.0f%% of its best rate (%.0f pps).\n" % (
        top, 100 * data[top]["lazy"]["delivered_pps"] / max(lz), max(lz)))
try:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    xs = sorted(data)
    for c, lab in (("stock", "stock Linux"), ("eager", "silk eager"), ("lazy", "silk lazy")):
        plt.plot(xs, [data[x][c]["delivered_pps"] / cap for x in xs], marker="o", label=lab)
    plt.xscale("log")
    plt.xlabel("offered load (x sink capacity)")
    plt.ylabel("delivered (x sink capacity)")
    plt.ylim(0, 1.2)
    plt.legend()
    plt.title("LRP fig. 3: UDP sink under overload")
    plt.savefig(sys.argv[2].replace(".md", ".png"), dpi=100)
except ImportError:
    pass
EOF
cat "$res/lrp.md"
