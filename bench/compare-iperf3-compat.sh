#!/usr/bin/env bash
# iperf3 wire compatibility, figures side by side on loopback (127.0.0.1 only). For each scenario, each round runs:
#   ref  iperf3 -c  -> iperf3 -s            (iperf3 on both ends: the reference)
#   srv  iperf3 -c  -> netbench server      (netbench's agent serving the real iperf3 client)
#   cli  netbench client --iperf3 -> iperf3 -s   (netbench's client driving the real iperf3 server)
# and reads the receiver's goodput from the same place in all three: iperf3 -J's end.sum_received.bits_per_second
# (netbench's client writes it with --json-iperf3); for UDP also lost_percent. Scenarios: TCP, TCP -R, TCP -P 4,
# UDP at a fixed rate. The summary prints each median and its ratio to the reference's, beside every column's own
# round-to-round spread (max/min): a ratio inside the reference's spread is agreement.
#
# Servers are pinned to SERVER_CPU and clients to CLIENT_CPU (taskset), as in bench/compare.sh. The order within a
# round rotates, so slow drift of the machine hits each column alike.
#
# Installs nothing. Needs iperf3, taskset, java, python3. Builds cli/target/netbench.jar if missing.
# Knobs: DURATION=3 (seconds per run), ROUNDS=5, WARMUP=1 (iperf3 -O, netbench --warmup), UDP_RATE=500M, UDP_LEN=1400,
#        SERVER_CPU=0, CLIENT_CPU=1.
# Exit status: 0 when every run worked (this is a report), 1 when a run failed, 2 when something is missing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

DURATION=${DURATION:-3}
ROUNDS=${ROUNDS:-5}
WARMUP=${WARMUP:-1}
UDP_RATE=${UDP_RATE:-500M}
UDP_LEN=${UDP_LEN:-1400}
SERVER_CPU=${SERVER_CPU:-0}
CLIENT_CPU=${CLIENT_CPU:-1}
HOST=127.0.0.1
IPERF3_PORT=15211
NETBENCH_PORT=17585
JAR=cli/target/netbench.jar

die() { echo "compare-iperf3-compat.sh: $2" >&2; exit "$1"; }
for t in iperf3 taskset java python3; do command -v "$t" >/dev/null || die 2 "$t not found"; done
if [ ! -f "$JAR" ]; then
  ./mvnw -q -B package -DskipTests || die 1 "could not build $JAR"
fi

work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

taskset -c "$SERVER_CPU" iperf3 -s -B "$HOST" -p "$IPERF3_PORT" > "$work/iperf3-server.log" 2>&1 &
pids+=($!)
taskset -c "$SERVER_CPU" java -jar "$JAR" server -B "$HOST" -p "$NETBENCH_PORT" --http-port 0 > "$work/netbench-server.log" 2>&1 &
pids+=($!)
for i in $(seq 1 50); do
  grep -q "listening" "$work/netbench-server.log" 2>/dev/null && break
  sleep 0.2
done
sleep 0.5

# receiver goodput and UDP loss from an iperf3 -J shaped document
extract() {
  python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
if "error" in d: sys.exit("error: " + d["error"])
r = d["end"]["sum_received"]
print(r["bits_per_second"], r.get("lost_percent", ""))' "$1"
}

run() { # column scenario round -> appends "scenario column bps lost" to results
  local col=$1 sc=$2 out="$work/$1-$2-$3.json" args=()
  case $sc in
    tcp) args=() ;;
    tcp_R) args=(-R) ;;
    tcp_P4) args=(-P 4) ;;
    udp) args=(-u -b "$UDP_RATE" -l "$UDP_LEN") ;;
  esac
  case $col in
    ref|srv)
      local port=$IPERF3_PORT; [ "$col" = srv ] && port=$NETBENCH_PORT
      taskset -c "$CLIENT_CPU" iperf3 -c "$HOST" -p "$port" -t "$DURATION" -O "$WARMUP" -J "${args[@]}" > "$out" || true ;;
    cli)
      local nb=(--tcp-bw)
      case $sc in
        tcp_R) nb=(--tcp-bw -R) ;;
        tcp_P4) nb=(--tcp-bw -P 4) ;;
        udp) nb=(--udp-bw -b "$UDP_RATE" --msg "$UDP_LEN") ;;
      esac
      taskset -c "$CLIENT_CPU" java -jar "$JAR" client -q --iperf3 "$HOST:$IPERF3_PORT" -t "$DURATION" --warmup "$WARMUP" \
        --json-iperf3 "${nb[@]}" > "$out" || true ;;
  esac
  local fig
  fig=$(extract "$out") || die 1 "$col $sc round $3 failed: $(head -c 300 "$out")"
  echo "$sc $col $fig" >> "$work/results"
  sleep 0.3
}

# one unrecorded run per column first: the netbench JVMs JIT-compile on their first test
for col in ref srv cli; do run "$col" tcp 0; done
: > "$work/results"

cols=(ref srv cli)
for r in $(seq 1 "$ROUNDS"); do
  for sc in tcp tcp_R tcp_P4 udp; do
    for k in 0 1 2; do
      run "${cols[$(( (k + r) % 3 ))]}" "$sc" "$r"
    done
  done
  echo "round $r/$ROUNDS done" >&2
done

python3 - "$work/results" "$DURATION" "$ROUNDS" "$UDP_RATE" <<'PY'
import sys, statistics as st
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
data = {}
for r in rows:
    sc, col, bps = r[0], r[1], float(r[2])
    lost = float(r[3]) if len(r) > 3 and r[3] != "" else None
    data.setdefault(sc, {}).setdefault(col, []).append((bps, lost))
print(f"iperf3 wire compatibility on loopback: {sys.argv[3]} rounds of {sys.argv[2]} s, UDP at {sys.argv[4]}")
print("receiver goodput (end.sum_received.bits_per_second), median over rounds; spread = max/min over rounds")
print(f"{'scenario':8} {'ref iperf3->iperf3':>20} {'srv iperf3->netbench':>22} {'cli netbench->iperf3':>22} {'srv/ref':>8} {'cli/ref':>8}")
for sc in ["tcp", "tcp_R", "tcp_P4", "udp"]:
    cols = data.get(sc, {})
    def med(c): return st.median([x[0] for x in cols[c]])
    def spread(c):
        v = [x[0] for x in cols[c]]
        return max(v) / min(v) if min(v) > 0 else float("inf")
    def cell(c): return f"{med(c)/1e9:8.2f} Gb/s x{spread(c):.2f}"
    print(f"{sc:8} {cell('ref'):>20} {cell('srv'):>22} {cell('cli'):>22} {med('srv')/med('ref'):8.3f} {med('cli')/med('ref'):8.3f}")
    if sc == "udp":
        for c in ["ref", "srv", "cli"]:
            losses = [x[1] for x in cols[c] if x[1] is not None]
            if losses:
                print(f"         udp lost_percent {c}: median {st.median(losses):.3f} %, max {max(losses):.3f} %")
PY
