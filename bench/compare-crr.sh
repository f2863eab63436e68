#!/usr/bin/env bash
# tcp_crr against a reference on loopback: netbench --tcp-crr and bench/crr-ref.c (netperf TCP_CRR's loop as
# plain blocking C, the same transaction byte for byte; netperf itself is not packaged for Debian main). Servers
# on CPU 0, clients on CPU 1 (cross) or CPU 0 (same), interleaved rounds (ref, netbench, ref, netbench, ...);
# prints the median transactions/s of each, netbench's ratio, and each tool's spread (max/min).
#   ROUNDS=5 DURATION=5 PARALLEL="1 4" PLACEMENTS="cross same" MSG=1 bash bench/compare-crr.sh
set -euo pipefail
cd "$(dirname "$0")/.."
jar=cli/target/netbench.jar
ROUNDS=${ROUNDS:-5} DURATION=${DURATION:-5} PARALLEL=${PARALLEL:-"1 4"} PLACEMENTS=${PLACEMENTS:-"cross same"} MSG=${MSG:-1}
NB_PORT=17591 REF_PORT=17592
out=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$out"' EXIT
[ -f "$jar" ] || ./mvnw -B -q package -DskipTests
cc -O2 -pthread -o "$out/crr-ref" bench/crr-ref.c
max_p=$(echo "$PARALLEL" | tr ' ' '\n' | sort -n | tail -1)

for placement in $PLACEMENTS; do
  srv=0; cli=1; [ "$placement" = same ] && cli=0
  kill "${pids[@]}" 2>/dev/null || true; pids=()
  taskset -c $srv java -jar "$jar" server -p $NB_PORT -B 127.0.0.1 > /dev/null 2>&1 & pids+=($!)
  taskset -c $srv "$out/crr-ref" server $REF_PORT "$max_p" "$MSG" & pids+=($!)
  sleep 3
  taskset -c $cli java -jar "$jar" client --tcp-crr -t 1 -p $NB_PORT 127.0.0.1 > /dev/null   # the agent's JIT
  for round in $(seq "$ROUNDS"); do
    for p in $PARALLEL; do
      r=$(taskset -c $cli "$out/crr-ref" client 127.0.0.1 $REF_PORT "$MSG" "$p" "$DURATION" | awk '{print $2}')
      echo "$placement $p ref $r" >> "$out/raw"
      n=$(taskset -c $cli java -jar "$jar" client --tcp-crr --json -m "$MSG" -P "$p" -t "$DURATION" -p $NB_PORT 127.0.0.1 \
        | python3 -c "import json, sys; print(json.load(sys.stdin)['results'][0]['transactions_per_second'])")
      echo "$placement $p netbench $n" >> "$out/raw"
    done
    echo "round $round ($placement) done" >&2
  done
done

python3 - "$out/raw" "$DURATION" "$MSG" <<'PY'
import collections, statistics, sys
runs = collections.defaultdict(list)
for line in open(sys.argv[1]):
    placement, p, tool, value = line.split()
    runs[(placement, p, tool)].append(float(value))
print("%-6s %4s  %12s %12s  %7s  %s" % ("place", "P", "reference", "netbench", "nb/ref", "spread ref / nb (max/min)"))
for placement, p in dict.fromkeys(k[:2] for k in runs):
    ref, nb = runs[(placement, p, "ref")], runs[(placement, p, "netbench")]
    print("%-6s %4s  %12.0f %12.0f  %7.2f  %.2f / %.2f" % (placement, p, statistics.median(ref), statistics.median(nb),
          statistics.median(nb) / statistics.median(ref), max(ref) / min(ref), max(nb) / min(nb)))
print("transactions/s, median of %d rounds of %s s, msg %s B" % (len(next(iter(runs.values()))), sys.argv[2], sys.argv[3]))
PY
