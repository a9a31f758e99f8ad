#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# KNET (issue 3): connection-level parallelism of protocol processing,
# inside one VM with 2 vCPUs. nginx (2 workers) serves wrk (32 keep-alive
# connections from one address). Every packet to port 8080 goes through a
# listen path with connection paths, and RULES (default 30000) nftables rules after silk's
# hook make each packet's processing expensive, so silk's workers, not
# nginx or wrk, are the bottleneck. Placement decides how many workers
# share the connections:
#   one    placement src: one client address, so every connection path is
#          on the same CPU (one worker)
#   hash   hash of the 4-tuple: connections spread over both workers
#   rr     each new connection on the next CPU
# Metric: requests/s, median of ROUNDS rounds in ABBA order.
source "$(dirname "$0")/../tests/lib.sh"
SECS=${SILK_BENCH_SECS:-5}
ROUNDS=${SILK_BENCH_ROUNDS:-3}
# The more each packet costs in silk's workers, the less nginx and wrk,
# which share the two vCPUs with them, weigh in the result.
RULES=${SILK_BENCH_RULES:-30000}
res=$SILK_VM_OUT/result
mkdir -p "$res"
raw=$res/knet.jsonl
: >"$raw"

silk_load || exit 1
setup_pair
{
	echo "table inet burn { chain c { type filter hook prerouting priority -150;"
	for i in $(seq "$RULES"); do
		echo "ip saddr 192.0.2.$((i % 250 + 1)) ip daddr 198.51.$((i / 250 / 250 + 100)).$((i / 250 % 250 + 1)) counter"
	done
	echo "}"
	echo "}"
} | srv nft -f - || exit 1
nginx_start -w 2 -b 1024 8080
sleep 1
srv "$SILKCTL" path add tcp port 8080 conns on limit 4000 bytes 64m

measure() { # CONFIG
	local pl=$1 rps
	[ "$pl" = one ] && pl=src
	srv "$SILKCTL" placement "$pl"
	# New connections for each measurement, placed by the policy.
	rps=$(cli wrk -t 2 -c 32 -d "$SECS" http://10.0.0.2:8080/ |
		awk '/Requests\/sec/ { print $2 }')
	echo "{\"round\":$r,\"config\":\"$1\",\"rps\":${rps:-0}}" | tee -a "$raw"
	sleep 1
}
for r in $(seq "$ROUNDS"); do
	for c in one hash rr rr hash one; do
		measure "$c"
	done
done
nginx_stop

python3 - "$raw" "$res/knet.md" "$RULES" <<'EOF'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
by = {}
for r in rows:
    by.setdefault(r["config"], []).append(r["rps"])
med = {c: statistics.median(v) for c, v in by.items()}
with open(sys.argv[2], "w") as f:
    f.write("# KNET: connection paths on one worker or two\n\n")
    f.write("nginx (2 workers) and wrk (32 keep-alive connections) in one VM\n"
            "with 2 vCPUs; %s nftables rules after silk's hook make the\n"
            "workers the bottleneck. Median requests/s over %d ABBA rounds\n"
            "(`bench/run knet`, SILK_BENCH_RULES=%s).\n\n" % (
                sys.argv[3], len(rows) // 6, sys.argv[3]))
    f.write("| placement | workers used | req/s | ratio to one worker |\n")
    f.write("|---|---|---|---|\n")
    for c, w in (("one", "1 (src, one client address)"), ("hash", "2"), ("rr", "2")):
        f.write("| %s | %s | %.0f | %.2f |\n" % (c, w, med[c], med[c] / med["one"]))
try:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    cs = ["one", "hash", "rr"]
    plt.bar(cs, [med[c] / med["one"] for c in cs])
    plt.ylabel("requests/s / one worker")
    plt.title("KNET: connection-level parallelism")
    plt.savefig(sys.argv[2].replace(".md", ".png"), dpi=100)
except ImportError:
    pass
EOF
cat "$res/knet.md"
