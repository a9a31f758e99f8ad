#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# SILK figures 5/6 and table 2 (issue 4), inside one VM with 2 vCPUs: a
# legacy prefork server (tests/helpers/prefork.py, N + 2 workers, all on
# CPU 1) does a fixed amount of CPU work per request. N standard clients
# (10.0.0.1, one asyncio process at nice 10, CPU 0) keep it busy; one
# preferred client (10.0.1.3, CPU 0) makes requests one after another and
# measures their response time, at SCHED_FIFO 50 so that sharing CPU 0
# with the load does not delay it. RPS keeps the standard clients' receive
# processing on CPU 0, as if they were another machine. The server's
# receive processing of their requests stays on CPU 0 too, where they are
# sent, as a NIC's interrupts on another CPU than the server's would: the
# server's CPU 1 then fills with its tasks, the case SILK's figure 5
# studied. (On CPU 1, stock's softirq, many times costlier under TCG than
# the server's work, throttled the load itself: CPU 1 busy, the standard
# clients at half the rate, few server tasks runnable.) The preferred
# client is a third machine: its own namespace and link (pcli, vp-vq) whose
# receive processing runs, at each end, in a NAPI thread of its own at
# SCHED_FIFO 60 (on CPU 0 for the client, CPU 1 for the server), as a NIC's
# interrupt would. Without that its 64 KiB responses waited in CPU 0's
# receive backlog behind the load's, or in a ksoftirqd that shares CPU 1
# with the server's workers, and the client's machine, not the server, set
# its response time (docs/silk.rst). The paths' home is CPU 1: all of the
# server's processing is on the server's CPU. Configurations:
#   stock   no paths
#   fp      port 8080 with connection paths, FP prio 0 (above every task);
#           the preferred prefix on a prio 20 path (its packets first,
#           its task not)
#   silk    SILK's setting: the standard paths at the level of Linux's
#           tasks (WFQ weight 1, nice 0), the preferred prefix on a
#           prio 20 path above them
#   mirror  silk with mirroring: the task serving the preferred
#           connection runs at its path's level
# Metrics: the preferred client's mean and p99 response time, and the time
# its server task spent runnable but not running per request (wakeup to
# run, from /proc/PID/schedstat), for small and large responses.
source "$(dirname "$0")/../tests/lib.sh"
NS=${SILK_BENCH_NS:-"1 8 16 32 64"}
SIZES=${SILK_BENCH_SIZES:-"1024 16384 102400"}
REQS=${SILK_BENCH_REQS:-100}
WORK_US=${SILK_BENCH_WORK_US:-2000}
CONFIGS=${SILK_BENCH_CONFIGS:-"stock fp silk mirror"}
# Rounds: every setting once per round, side by side; the tables show the
# median over rounds and, with more than one, the spread of the means.
ROUNDS=${SILK_BENCH_ROUNDS:-1}
res=$SILK_VM_OUT/result
mkdir -p "$res"
raw=$res/silk_mirror.jsonl
: >"$raw"

silk_load || exit 1
setup_pair
add_peer pcli vp 10.0.1.3/24 srv vq 10.0.1.2/24 || exit 1
# veth uses NAPI (GRO) only for what a device without TSO sends.
srv ethtool -K vq tso off gro on >/dev/null
ip netns exec pcli ethtool -K vp tso off gro on >/dev/null
ip netns exec pcli sh -c 'echo 1 >/sys/class/net/vp/threaded'
srv sh -c 'echo 1 >/sys/class/net/vq/threaded'
for t in $(pgrep '^napi/vp-'); do chrt -f -p 60 "$t" && taskset -p 1 "$t" >/dev/null; done
for t in $(pgrep '^napi/vq-'); do chrt -f -p 60 "$t" && taskset -p 2 "$t" >/dev/null; done
[ "$(pgrep -c '^napi/v[pq]-')" = 2 ] || { echo "bench: no NAPI threads for vp/vq" >&2; exit 1; }
# The clients' machine: their receive processing on their own CPU 0 too,
# not in softirq on the server's CPU 1 where the server's replies are sent.
cli sh -c 'echo 1 >/sys/class/net/va/queues/rx-0/rps_cpus'
maxn=0
for n in $NS; do [ "$n" -gt "$maxn" ] && maxn=$n; done

LOOPS=$(srv taskset -c 1 python3 "$HELPERS/worksink.py" --calibrate "$WORK_US")
log "work: $LOOPS loops for $WORK_US us"
# One mirroring path all along, so the probes see every accept().
srv "$SILKCTL" path add udp port 9 mirror on
srv taskset -c 1 python3 "$HELPERS/prefork.py" 8080 --workers $((maxn + 2)) \
	--loops "$LOOPS" --ready "$TMP/pf" &
for _ in $(seq 300); do [ -e "$TMP/pf" ] && break; sleep 0.1; done

config() { # NAME
	for id in $(srv "$SILKCTL" -j path show | jq '.[] | select(.port != 9) | .id'); do
		srv "$SILKCTL" path del id "$id"
	done
	case $1 in
	fp)
		srv "$SILKCTL" path add tcp port 8080 conns on cpu 1
		srv "$SILKCTL" path add tcp port 8080 remote 10.0.1.3/32 conns on prio 20 cpu 1
		;;
	silk | mirror)
		srv "$SILKCTL" path add tcp port 8080 conns on class wfq weight 1 cpu 1
		srv "$SILKCTL" path add tcp port 8080 remote 10.0.1.3/32 conns on prio 20 cpu 1 \
			mirror "$([ "$1" = mirror ] && echo on || echo off)"
		;;
	esac
}

# CPU 1's total and busy jiffies: is the server saturated?
cpu1_busy() {
	awk '$1 == "cpu1" { t = 0; for (i = 2; i <= 9; i++) t += $i; print t, t - $5 - $6 }' /proc/stat
}

# preferred SIZE: REQS sequential requests from 10.0.1.3; JSON summary.
preferred() {
	# SCHED_FIFO: the preferred client's own machine never delays it, as
	# if it were another, idle machine; only the server is measured.
	ip netns exec pcli taskset -c 0 chrt -f 50 python3 - "$1" "$REQS" <<'EOF'
import json, socket, sys, time
size, reqs = int(sys.argv[1]), int(sys.argv[2])
rt, wait = [], []
for i in range(reqs + 2):
    t = time.monotonic()
    s = socket.create_connection(("10.0.1.2", 8080))
    s.sendall(b"GET %d\n" % size)
    data = b""
    while True:
        b = s.recv(262144)
        if not b:
            break
        data += b
    s.close()
    if i < 2:
        continue  # warm-up
    rt.append((time.monotonic() - t) * 1e3)
    wait.append(int(data.split(b"\n", 1)[0].split()[1]) / 1e6)
rt.sort()
print(json.dumps({"mean_ms": sum(rt) / len(rt), "p99_ms": rt[min(len(rt) - 1, int(len(rt) * 0.99))],
                  "wait_ms": sum(wait) / len(wait)}))
EOF
}

for round in $(seq "$ROUNDS"); do
for size in $SIZES; do
	for c in $CONFIGS; do
		config "$c"
		for n in $NS; do
			# Not through cli(): $! must be the load generator itself.
			# At nice 10, so that on the shared client CPU it does not
			# delay the preferred client's own measurement.
			ip netns exec cli taskset -c 0 nice -n 10 python3 "$HELPERS/loadgen.py" \
				10.0.0.2 8080 "$n" "$size" 100000 >"$TMP/load" 2>/dev/null &
			load=$!
			sleep 2
			t0=$(date +%s.%N)
			c0=$(cpu1_busy)
			l0=$(srv "$SILKCTL" -j stats | jq .level_changes)
			p=$(preferred "$size")
			l1=$(srv "$SILKCTL" -j stats | jq .level_changes)
			c1=$(cpu1_busy)
			t1=$(date +%s.%N)
			kill "$load" 2>/dev/null
			for _ in $(seq 50); do kill -0 "$load" 2>/dev/null || break; sleep 0.1; done
			# The standard clients' throughput (SILK's table 3), over
			# the whole run of the load (2 s before the preferred one).
			std=$(jq -c --argjson t "$(echo "$t1 - $t0 + 2" | bc)" \
				'{requests, errors, rate: (.requests / $t)}' "$TMP/load" 2>/dev/null)
			busy=$(echo "$c0 $c1" | awk '{ printf "%.3f", ($4 - $2) / ($3 - $1) }')
			echo "{\"round\":$round,\"config\":\"$c\",\"size\":$size,\"n\":$n,\"pref\":$p,\"std\":${std:-null},\"cpu1_busy\":$busy,\"level_changes_per_s\":$(echo "($l1 - $l0) / ($t1 - $t0)" | bc -l | xargs printf %.1f)}" | tee -a "$raw"
		done
	done
done
done
config stock

python3 - "$raw" "$res/silk_mirror.md" "$WORK_US" "$REQS" <<'EOF'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
def med(v):
    v = sorted(v)
    return (v[(len(v) - 1) // 2] + v[len(v) // 2]) / 2

dl, xl = {}, {}
for r in rows:
    k = (r["size"], r["config"], r["n"])
    dl.setdefault(k, []).append(r["pref"])
    if r.get("std"):
        xl.setdefault(k, []).append(r)
rounds = max(len(v) for v in dl.values())
# d: the medians over rounds, with the range of the means; x: likewise.
d = {k: {"mean_ms": med([p["mean_ms"] for p in v]), "p99_ms": med([p["p99_ms"] for p in v]),
         "wait_ms": med([p["wait_ms"] for p in v]), "lo": min(p["mean_ms"] for p in v),
         "hi": max(p["mean_ms"] for p in v), "k": len(v)} for k, v in dl.items()}
x = {k: {"std": {"rate": med([r["std"]["rate"] for r in v])},
         "cpu1_busy": med([r["cpu1_busy"] for r in v]),
         "level_changes_per_s": med([r["level_changes_per_s"] for r in v])} for k, v in xl.items()}
sizes = sorted({r["size"] for r in rows})
ns = sorted({r["n"] for r in rows})
cfgs = ["stock", "fp", "silk", "mirror"]
with open(sys.argv[2], "w") as f:
    f.write("# SILK figures 5/6, table 2: a preferred client among N standard ones\n\n")
    f.write("Prefork server (N + 2 Python workers on CPU 1, %s us of CPU work per\n"
            "request); N standard clients (one asyncio process at nice 10) and one\n"
            "preferred client (%s sequential requests, SCHED_FIFO 50) on CPU 0,\n"
            "on a link of its own whose receive processing runs in NAPI threads\n"
            "at SCHED_FIFO 60, as if on a third machine; the server's receive\n"
            "processing and silk's paths on CPU 1 (`bench/run silk_mirror`).\n"
            "stock: no silk; fp: standard connections on FP prio 0 paths (above\n"
            "every task), the preferred prefix on prio 20; silk: SILK's setting,\n"
            "standard paths at the tasks' level (WFQ weight 1, nice 0), the\n"
            "preferred prefix on prio 20 above them; mirror: silk with mirroring\n"
            "(the server task runs at its path's level). wait: time the server\n"
            "task serving a preferred request was runnable but not running.\n\n" % (sys.argv[3], sys.argv[4]))
    if rounds > 1:
        f.write("%d rounds, each setting once a round: a cell is the median over rounds;\n"
                "the mean's range over rounds in brackets.\n\n" % rounds)
    # table(HEADS, CELL): a row per N, HEADS' columns per setting;
    # CELL(c, n) gives a setting's cells, or None.
    def table(heads, cell):
        f.write("| N | " + " | ".join(" | ".join(h % c for h in heads) for c in cfgs) + " |\n")
        f.write("|---" * (1 + len(heads) * len(cfgs)) + "|\n")
        for n in ns:
            cells = []
            for c in cfgs:
                cells += cell(c, n) or ["-"] * len(heads)
            f.write("| %d | %s |\n" % (n, " | ".join(cells)))

    def pref(c, n):
        p = d.get((size, c, n))
        if not p:
            return None
        mean = "%.1f" % p["mean_ms"] + (" [%.1f-%.1f]" % (p["lo"], p["hi"]) if p["k"] > 1 else "")
        return [mean, "%.1f" % p["p99_ms"], "%.1f" % p["wait_ms"]]

    def std(c, n):
        r = x.get((size, c, n))
        return r and r.get("std") and ["%.0f" % r["std"]["rate"], "%.2f" % r["cpu1_busy"],
                                       "%.0f" % r["level_changes_per_s"]]

    for size in sizes:
        f.write("## %d-byte responses\n\n" % size)
        table(["%s mean ms", "%s p99 ms", "%s wait ms"], pref)
        f.write("\nStandard clients' requests/s (SILK's table 3), CPU 1 busy, worker level changes/s:\n\n")
        table(["%s req/s", "%s busy", "%s changes/s"], std)
        ratios = []
        for c in cfgs:
            lo, hi = d.get((size, c, ns[0])), d.get((size, c, ns[-1]))
            if lo and hi:
                ratios.append("%s %.2f" % (c, hi["mean_ms"] / lo["mean_ms"]))
        f.write("\nMean response time at N=%d over N=%d: %s.\n" % (ns[-1], ns[0], ", ".join(ratios)))
        st = d.get((size, "stock", ns[-1]))
        if st:
            f.write("At N=%d over stock's: %s.\n" % (ns[-1], ", ".join(
                "%s %.2f" % (c, d[(size, c, ns[-1])]["mean_ms"] / st["mean_ms"])
                for c in cfgs if c != "stock" and (size, c, ns[-1]) in d)))
        f.write("\n")
try:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots(1, len(sizes), figsize=(6 * len(sizes), 4))
    if len(sizes) == 1:
        axes = [axes]
    for ax, size in zip(axes, sizes):
        for c in cfgs:
            pts = [d[(size, c, n)] for n in ns if (size, c, n) in d]
            ys = [p["mean_ms"] for p in pts]
            err = [[p["mean_ms"] - p["lo"] for p in pts], [p["hi"] - p["mean_ms"] for p in pts]]
            ax.errorbar(ns[:len(ys)], ys, yerr=err, marker="o", capsize=3, label=c)
        ax.set_xlabel("standard clients N")
        ax.set_ylabel("preferred mean response (ms)")
        ax.set_title("%d-byte responses" % size)
        ax.set_yscale("log")
        ax.legend()
    plt.tight_layout()
    plt.savefig(sys.argv[2].replace(".md", ".png"), dpi=100)
except ImportError:
    pass
EOF
cat "$res/silk_mirror.md"
