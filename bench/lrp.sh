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
# Metric: datagrams/s the sink processed, as a fraction of the lazy sink's
# maximum loss-free rate (MLFR), found first in the same run. The work is
# one loop count, calibrated once, so every run does the same work.
source "$(dirname "$0")/../tests/lib.sh"
SECS=${SILK_BENCH_SECS:-6}
WORK_US=${SILK_BENCH_WORK_US:-400}
FACTORS=${SILK_BENCH_FACTORS:-"0.5 1 2 4 10"}
# Each point is the median of ROUNDS runs, configurations in rotating order.
ROUNDS=${SILK_BENCH_ROUNDS:-3}
res=$SILK_VM_OUT/result
mkdir -p "$res"
# Results of other work sizes go beside the default's: lrp-w2000.md, ...
name=lrp
[ "$WORK_US" = 400 ] || name=lrp-w$WORK_US
raw=$res/$name.jsonl
: >"$raw"

silk_load || exit 1
setup_pair
srv sh -c 'echo 2 >/sys/class/net/vb/queues/rx-0/rps_cpus'

LOOPS=$(srv taskset -c 1 python3 "$HELPERS/worksink.py" --calibrate "$WORK_US")
log "work: $LOOPS loops for $WORK_US us"

# run RATE: the sink's processed datagrams/s with RATE offered for SECS.
run() {
	local rate=$1
	rm -f "$TMP/ready"
	srv taskset -c 1 python3 "$HELPERS/worksink.py" 7000 --loops "$LOOPS" \
		--secs "$SECS" --rcvbuf 65536 --ready "$TMP/ready" >"$TMP/sink.json" &
	local sink=$!
	for _ in $(seq 100); do [ -e "$TMP/ready" ] && break; sleep 0.1; done
	cli taskset -c 0 sockperf tp -i 10.0.0.2 -p 7000 -m 64 \
		-t $((SECS + 2)) --mps="$rate" >"$TMP/send.txt" 2>&1
	wait "$sink"
	# For the record: what the path did (dropped early, parked) and what
	# the socket dropped.
	srv "$SILKCTL" -j -s path show | jq -c '[.[] | {dropped: .stats.dropped_pkts, parked: .stats.parked}]' >"$TMP/pstat.json"
	srv nstat -az UdpRcvbufErrors | awk '/UdpRcvbufErrors/ {print $2}' >"$TMP/rcvbuf.txt"
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

# The lazy sink's maximum loss-free rate (MLFR): the highest offered rate,
# in steps of 5% of what the work alone allows, that it delivers with less
# than 2% loss. Loads are then multiples of it.
config lazy
mlfr=0
for pct in 100 95 90 85 80 75 70 65 60 55 50 40 30; do
	rate=$((pct * 1000000 / WORK_US / 100))
	d=$(run "$rate")
	echo "{\"probe_pps\":$rate,\"delivered_pps\":$d}" >>"$raw"
	if python3 -c "import sys; sys.exit(not $d >= 0.98 * $rate)"; then
		mlfr=$d
		break
	fi
done
log "maximum loss-free rate: $mlfr datagrams/s at ${WORK_US} us of work each"
echo "{\"capacity_pps\":$mlfr,\"work_us\":$WORK_US,\"loops\":$LOOPS}" >>"$raw"

for f in $FACTORS; do
	rate=$(python3 -c "print(max(1, int($f * $mlfr)))")
	for r in $(seq "$ROUNDS"); do
		case $((r % 3)) in
		1) order="stock eager lazy" ;;
		2) order="eager lazy stock" ;;
		0) order="lazy stock eager" ;;
		esac
		for c in $order; do
			config "$c"
			d=$(run "$rate")
			echo "{\"config\":\"$c\",\"factor\":$f,\"round\":$r,\"offered_pps\":$rate,\"delivered_pps\":$d,\"path\":$(cat "$TMP/pstat.json"),\"rcvbuf_errors\":$(cat "$TMP/rcvbuf.txt")}" |
				tee -a "$raw"
		done
	done
done
config stock

python3 - "$raw" "$res/$name.md" <<'EOF'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
head = [r for r in rows if "capacity_pps" in r][0]
cap = head["capacity_pps"]
import statistics
runs = {}
for r in rows:
    if "config" in r:
        runs.setdefault(r["factor"], {}).setdefault(r["config"], []).append(r)
# The median run of each point.
data = {}
for fac, cs in runs.items():
    for c, rs in cs.items():
        med = statistics.median_low([x["delivered_pps"] for x in rs])
        data.setdefault(fac, {})[c] = [x for x in rs if x["delivered_pps"] == med][0]
nrounds = max(len(rs) for cs in runs.values() for rs in cs.values())
with open(sys.argv[2], "w") as f:
    f.write("# LRP figure 3: delivered rate under overload\n\n")
    f.write("UDP sink on CPU 1 with %s us of CPU work per datagram; RPS puts\n"
            "receive processing on CPU 1 too; sockperf offers load from CPU 0.\n"
            "Maximum loss-free rate (MLFR) of the lazy sink: %.0f datagrams/s.\n"
            "Delivered rate as a fraction of the MLFR, median of %d runs\n"
            "(`SILK_BENCH_WORK_US=%s bench/run lrp`).\n\n" % (
                head["work_us"], cap, nrounds, head["work_us"]))
    f.write("| offered (x MLFR) | offered pps | stock | silk eager | silk lazy |\n")
    f.write("|---|---|---|---|---|\n")
    for fac in sorted(data):
        d = data[fac]
        f.write("| %s | %d | %.2f | %.2f | %.2f |\n" % (
            fac, d["lazy"]["offered_pps"],
            d["stock"]["delivered_pps"] / cap, d["eager"]["delivered_pps"] / cap,
            d["lazy"]["delivered_pps"] / cap))
    top = max(data)
    f.write("\nAt %sx the MLFR silk lazy delivers %.0f%% of it, stock Linux %.0f%%.\n" % (
        top, 100 * data[top]["lazy"]["delivered_pps"] / cap,
        100 * data[top]["stock"]["delivered_pps"] / cap))
try:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    xs = sorted(data)
    for c, lab in (("stock", "stock Linux"), ("eager", "silk eager"), ("lazy", "silk lazy")):
        plt.plot(xs, [data[x][c]["delivered_pps"] / cap for x in xs], marker="o", label=lab)
    plt.xscale("log")
    plt.xlabel("offered load (x maximum loss-free rate)")
    plt.ylabel("delivered (x maximum loss-free rate)")
    plt.ylim(0, 1.2)
    plt.legend()
    plt.title("LRP fig. 3: UDP sink under overload")
    plt.savefig(sys.argv[2].replace(".md", ".png"), dpi=100)
except ImportError:
    pass
EOF
cat "$res/$name.md"
