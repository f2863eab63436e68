#!/usr/bin/env bash
# The headline sweep side by side on loopback: qperf tcp_bw -m, iperf3 -l and netbench --msg at the same message
# sizes, in interleaved rounds (each round runs every tool at every size), with the servers and clients pinned
# alike: cross-core (servers on CPU 0, clients on CPU 1) and same-core (all on CPU 0); -R against iperf3 -R
# (qperf has no reverse). Prints per size the median Mbit/s of the rounds, netbench's ratio to each tool, and each
# tool's spread (max/min of its rounds). Needs qperf, iperf3 and a built cli/target/netbench.jar.
#   ROUNDS=5 DURATION=3 SIZES="1 64 1K 16K 128K" PLACEMENTS="cross same" bash bench/compare-sweep.sh
set -euo pipefail
cd "$(dirname "$0")/.."
jar=cli/target/netbench.jar
ROUNDS=${ROUNDS:-5} DURATION=${DURATION:-3} SIZES=${SIZES:-"1 64 1K 16K 128K"} PLACEMENTS=${PLACEMENTS:-"cross same"}
NB_PORT=17581 IPERF_PORT=15281 QPERF_PORT=19781
out=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$out"' EXIT
bytes() { case $1 in *K) echo $(( ${1%K} * 1024 ));; *) echo "$1";; esac; }

for placement in $PLACEMENTS; do
  srv=0; cli=1; [ "$placement" = same ] && cli=0
  kill "${pids[@]}" 2>/dev/null || true; pids=()
  taskset -c $srv java -jar "$jar" server -p $NB_PORT -B 127.0.0.1 > /dev/null 2>&1 & pids+=($!)
  taskset -c $srv iperf3 -s -p $IPERF_PORT -B 127.0.0.1 > /dev/null 2>&1 & pids+=($!)
  taskset -c $srv qperf -lp $QPERF_PORT > /dev/null 2>&1 & pids+=($!)
  sleep 3
  # a discarded run: the fresh agent's JIT compilation would otherwise fall into the first round
  taskset -c $cli java -jar "$jar" client --tcp-bw -t 1 -p $NB_PORT 127.0.0.1 > /dev/null
  for round in $(seq "$ROUNDS"); do
    for size in $SIZES; do
      b=$(bytes "$size")
      q=$(taskset -c $cli qperf -lp $QPERF_PORT -t "$DURATION" -m "$b" 127.0.0.1 tcp_bw | awk '$1 == "bw" {print $3, $4}')
      echo "$placement fwd $size qperf $q" >> "$out/raw"
      for dir in fwd rev; do
        r=""; [ $dir = rev ] && r="-R"
        i=$(taskset -c $cli iperf3 -c 127.0.0.1 -p $IPERF_PORT -t "$DURATION" -l "$b" $r -J | python3 -c "import json,sys; print(json.load(sys.stdin)['end']['sum_received']['bits_per_second'] / 1e6, 'Mbit')")
        echo "$placement $dir $size iperf3 $i" >> "$out/raw"
        n=$(taskset -c $cli java -jar "$jar" client --tcp-bw --json --msg "$b" -t "$DURATION" $r -p $NB_PORT 127.0.0.1 | python3 -c "import json,sys; print(json.load(sys.stdin)['results'][0]['bits_per_second'] / 1e6, 'Mbit')")
        echo "$placement $dir $size netbench $n" >> "$out/raw"
      done
    done
    echo "round $round ($placement) done" >&2
  done
done

python3 - "$out/raw" <<'PY'
import statistics, sys, collections
unit = {"Mbit": 1, "KB/sec": 8e-3, "MB/sec": 8, "GB/sec": 8e3, "bytes/sec": 8e-6}
runs = collections.defaultdict(list)
for line in open(sys.argv[1]):
    placement, d, size, tool, value, u = line.split()
    runs[(placement, d, size, tool)].append(float(value) * unit[u])
keys = sorted({k[:3] for k in runs}, key=lambda k: (k[0], k[1], [s for s in runs]))
print("%-6s %-4s %6s  %12s %12s %12s  %8s %8s  %s" % ("place", "dir", "msg", "qperf", "iperf3", "netbench", "nb/qperf", "nb/iperf3", "spread q / i / nb (max/min)"))
seen = []
for (placement, d, size, tool) in runs:
    if (placement, d, size) not in seen:
        seen.append((placement, d, size))
for placement, d, size in seen:
    med, spread = {}, {}
    for tool in ("qperf", "iperf3", "netbench"):
        v = runs.get((placement, d, size, tool))
        if v:
            med[tool] = statistics.median(v)
            spread[tool] = max(v) / min(v) if min(v) > 0 else float("inf")
    fmt = lambda t: "%12.2f" % med[t] if t in med else "%12s" % "-"
    ratio = lambda t: "%8.2f" % (med["netbench"] / med[t]) if t in med else "%8s" % "-"
    sp = " / ".join("%.2f" % spread[t] if t in spread else "-" for t in ("qperf", "iperf3", "netbench"))
    print("%-6s %-4s %6s  %s %s %s  %s %s  %s" % (placement, d, size, fmt("qperf"), fmt("iperf3"), fmt("netbench"), ratio("qperf"), ratio("iperf3"), sp))
print("Mbit/s, median of %d rounds" % len(next(iter(runs.values()))))
PY
