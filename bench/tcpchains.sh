#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Zhang et al. table 2 (issue 5): the cost of forwarding, inside one VM with
# 2 vCPUs. nginx (1 worker) serves on 8080; wrk opens a new connection for
# every request ("Connection: close", 16 at a time), either straight to
# 8080 (none: no rule at all) or to port 80, whose rule sends everything to
# 8080 after N conditions that do not match:
#   addr N     an address rule, N prefixes (192.168.i.0/24) the client is
#              not in: decided at the SYN, which goes to 8080's listener
#   content N  a content rule, N strings the request does not hold: silk's
#              listener on 80 waits for the request, searches it, hands the
#              connection to 8080's accept queue
#   hooked     straight to 8080, with a rule on an unused port: the cost
#              of silk's hook alone
# Metric: connections/s as a fraction of none's in the same round
# (configurations in rotating order), median of ROUNDS rounds.
source "$(dirname "$0")/../tests/lib.sh"
SECS=${SILK_BENCH_SECS:-8}
ROUNDS=${SILK_BENCH_ROUNDS:-5}
NS=${SILK_BENCH_CONDS:-"0 1 2 4 8 16 64"}
TC=$ROOT/tools/tcpchains
res=$SILK_VM_OUT/result
mkdir -p "$res"
raw=$res/tcpchains.jsonl
: >"$raw"

silk_load || exit 1
modprobe ts_bm
setup_pair
cat >"$TMP/nginx.conf" <<EOF
daemon off;
worker_processes 1;
pid $TMP/nginx.pid;
error_log stderr;
events { worker_connections 4096; }
http {
	access_log off;
	client_body_temp_path $TMP;
	server {
		listen 8080 backlog=4096;
		location / { return 200 "ok\n"; }
	}
}
EOF
srv nginx -c "$TMP/nginx.conf" 2>"$TMP/nginx.err" &
sleep 1

config() { # none | hooked | addr N | content N
	srv "$TC" -F
	[ "$1" = none ] && return
	# A rule on a port nobody uses: silk's hook sees every packet, and
	# forwards nothing.
	[ "$1" = hooked ] && { srv "$TC" -A a -p 9 -o 10; return; }
	local type=a i
	[ "$1" = content ] && type=c
	{
		echo "-A $type -p 80 -o 8080"
		for i in $(seq "$2"); do
			if [ "$type" = a ]; then
				echo "-a a -p 80 -i 192.168.$i.0/24 -r 9999"
			else
				echo "-a c -p 80 -s www.nomatch$i.example -r 9999"
			fi
		done
	} >"$TMP/rules"
	srv "$TC" -b "$TMP/rules"
}

measure() { # NAME N
	local port=80 cps
	config "$1" "$2"
	[ "$1" = none ] || [ "$1" = hooked ] && port=8080
	cps=$(cli wrk -t 1 -c 16 -d "$SECS" -H "Connection: close" \
		-H "Host: www.example.com" "http://10.0.0.2:$port/" |
		awk '/Requests\/sec/ { print $2 }')
	echo "{\"round\":$r,\"config\":\"$1\",\"n\":$2,\"cps\":${cps:-0}}" | tee -a "$raw"
	sleep 1
}

configs=("none 0" "hooked 0")
for n in $NS; do
	configs+=("addr $n" "content $n")
done
for r in $(seq "$ROUNDS"); do
	# Rotate the order each round, so that drift does not favour one.
	k=${#configs[@]}
	for i in $(seq 0 $((k - 1))); do
		measure ${configs[$(((i + r * 3) % k))]}
	done
done
srv "$TC" -F
kill "$(cat "$TMP/nginx.pid")" 2>/dev/null

python3 - "$raw" "$res/tcpchains.md" <<'EOF'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
# Each configuration against the no-rule rate of the same round, so that
# drift between rounds cancels; then the median over the rounds.
none = {r["round"]: r["cps"] for r in rows if r["config"] == "none"}
by, cps = {}, {}
for r in rows:
    if r["config"] != "none":
        by.setdefault((r["config"], r["n"]), []).append(r["cps"] / none[r["round"]])
        cps.setdefault((r["config"], r["n"]), []).append(r["cps"])
med = {k: statistics.median(v) for k, v in by.items()}
rng = {k: (min(v), max(v)) for k, v in by.items()}
ns = sorted({n for (c, n) in med if c != "hooked"})
nv = sorted(none.values())
with open(sys.argv[2], "w") as f:
    f.write("# Zhang table 2: connections/s through a tcpchains rule\n\n")
    f.write("nginx (1 worker) on 8080, wrk with a new connection per request\n"
            "(16 at a time) to port 80, whose rule sends every connection to\n"
            "8080 after N conditions that do not match; `none` is wrk straight\n"
            "to 8080 with no rule. Each configuration's rate over the same\n"
            "round's no-rule rate, median (and range) of %d rounds\n"
            "(`bench/run tcpchains`). No rule: %.0f connections/s (median;\n"
            "%.0f..%.0f over the rounds: the noise of this VM is about 5%%).\n\n" % (
                len(none), statistics.median(nv), nv[0], nv[-1]))
    h = ("hooked", 0)
    f.write("A rule on an unused port (silk's hook on every packet, nothing\n"
            "forwarded): %.3f (%.2f..%.2f).\n\n" % (med[h], rng[h][0], rng[h][1]))
    f.write("| conditions | address / no rule | (range) | content / no rule | (range) |\n")
    f.write("|---|---|---|---|---|\n")
    for n in ns:
        a, c = ("addr", n), ("content", n)
        f.write("| %d | %.3f | %.2f..%.2f | %.3f | %.2f..%.2f |\n" % (
            n, med[a], rng[a][0], rng[a][1], med[c], rng[c][0], rng[c][1]))
    last = ns[-1]
    f.write("\nWith %d conditions: address rules lose %.1f%% (target 1%%), content\n"
            "rules %.1f%% (target 3%%).\n" % (
                last, 100 * (1 - med[("addr", last)]),
                100 * (1 - med[("content", last)])))
try:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    for c, lab in (("addr", "address"), ("content", "content")):
        plt.plot(ns, [med[(c, n)] for n in ns], marker="o", label=lab)
    plt.xscale("symlog")
    plt.ylim(0.7, 1.1)
    plt.xlabel("non-matching conditions")
    plt.ylabel("connections/s / no rule (same round)")
    plt.title("tcpchains: cost of forwarding")
    plt.legend()
    plt.savefig(sys.argv[2].replace(".md", ".png"), dpi=100)
except ImportError:
    pass
EOF
cat "$res/tcpchains.md"
