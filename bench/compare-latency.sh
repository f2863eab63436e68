#!/usr/bin/env bash
# Round-trip latency, netbench against qperf and sockperf on loopback (127.0.0.1 only), in both core placements:
#   cross: every server on SERVER_CPU, every client on CLIENT_CPU;  same: servers and clients all on SERVER_CPU.
# Each round runs, per placement, in this order (ABAB across rounds, so slow drift hits every tool alike):
#   tcp_lat: qperf tcp_lat, netbench --tcp-lat, sockperf ping-pong --tcp, netbench --tcp-lat --busy-poll
#   udp_lat: qperf udp_lat, netbench --udp-lat, sockperf ping-pong (UDP)
# Every figure is the mean one-way latency, mean RTT / 2: qperf's `latency`, netbench's `latency_us`, sockperf's
# `avg-latency` (sockperf without --full-rtt reports RTT / 2). Prints every round, then per placement and test the
# medians over the rounds and the per-round ratios netbench/qperf (and netbench/sockperf, busy-poll/qperf).
#
# Installs nothing. Needs qperf, sockperf, taskset, java and python3. Builds cli/target/netbench.jar with ./mvnw if
# it is missing. Exit status: 0 when every measurement ran (whatever the ratios: a report), 1 when a tool failed,
# 2 when something needed is missing.
#
# Knobs (environment):
#   DURATION=10      seconds per measurement
#   ROUNDS=5         rounds per placement
#   WARMUP=1         netbench's --warmup (qperf and sockperf have none; each tool's server is primed first)
#   SERVER_CPU=0 CLIENT_CPU=1
#   PLACEMENTS="cross same"
#   MSG_TCP=1        tcp_lat message bytes (qperf -m, netbench --msg; sockperf needs at least 14: it gets max(14, MSG))
#   MSG_UDP=20       udp_lat datagram bytes (netbench's smallest datagram is 20)
#   TESTS="tcp_lat udp_lat"
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-5}
WARMUP=${WARMUP:-1}
SERVER_CPU=${SERVER_CPU:-0}
CLIENT_CPU=${CLIENT_CPU:-1}
PLACEMENTS=${PLACEMENTS:-cross same}
MSG_TCP=${MSG_TCP:-1}
MSG_UDP=${MSG_UDP:-20}
TESTS=${TESTS:-tcp_lat udp_lat}
HOST=127.0.0.1
QPERF_PORT=19866
SOCKPERF_PORT=11111
NETBENCH_PORT=17675
JAR=cli/target/netbench.jar

die() { echo "compare-latency.sh: $2" >&2; exit "$1"; }

for tool in qperf sockperf taskset java python3; do
    command -v "$tool" >/dev/null || die 2 "$tool not found (Debian: apt-get install qperf sockperf util-linux python3 openjdk-17-jre-headless)"
done
for knob in DURATION ROUNDS WARMUP SERVER_CPU CLIENT_CPU MSG_TCP MSG_UDP; do
    [[ ${!knob} =~ ^[0-9]+$ ]] || die 2 "$knob='${!knob}' is not a whole number"
done
((ROUNDS >= 1 && DURATION >= 1)) || die 2 "ROUNDS and DURATION must be at least 1"
((MSG_UDP >= 20)) || die 2 "MSG_UDP must be at least 20"
if [[ ! -f $JAR ]]; then
    ./mvnw -q -B -DskipTests package -pl cli -am >&2 || die 2 "building $JAR failed"
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/netbench-latency.XXXXXX")
PIDS=()
stop_servers() {
    local pid
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    PIDS=()
}
trap 'stop_servers; rm -rf "$WORK"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

listening() { ss -Hln "sport = :$1" 2>/dev/null | grep -q .; }

# start NAME PORT CPU CMD...: pinned; waits until it listens (TCP or UDP)
start() {
    local name=$1 port=$2 cpu=$3 i
    shift 3
    listening "$port" && die 1 "port $port ($name) already in use"
    taskset -c "$cpu" "$@" >"$WORK/$name.server.log" 2>&1 &
    PIDS+=($!)
    for ((i = 0; i < 100; i++)); do
        kill -0 "${PIDS[-1]}" 2>/dev/null || { cat "$WORK/$name.server.log" >&2; die 1 "$name server exited at start"; }
        listening "$port" && return 0
        sleep 0.1
    done
    die 1 "$name server not listening on $port"
}

# client CPU OUT CMD...: pinned; fails the script with the tool's output when the tool fails
client() {
    local cpu=$1 out=$2
    shift 2
    taskset -c "$cpu" "$@" >"$out" 2>&1 || { tail -n 20 "$out" >&2; die 1 "failed: $*"; }
}

qperf_us() {
    awk '$1 == "latency" && $2 == "=" { v = $3; u = $4
         if (u == "ns") v /= 1000; else if (u == "ms") v *= 1000; else if (u == "sec") v *= 1000000
         printf "%.6f\n", v; f = 1; exit } END { if (!f) exit 1 }' "$1"
}
sockperf_us() { sed -n 's/.*avg-latency= *\([0-9.]*\).*/\1/p' "$1" | tail -n 1 | grep . ; }
netbench_us() {
    python3 - "$1" "$2" "${3:-}" <<'EOF'
import json, sys
doc = json.load(open(sys.argv[1]))
r = [r for r in doc["results"] if r["test"] == sys.argv[2]]
assert len(r) == 1, "one %s result expected" % sys.argv[2]
if sys.argv[3] and r[0].get("io") != sys.argv[3]:
    sys.exit("io is %s, not %s" % (r[0].get("io"), sys.argv[3]))
print(r[0]["latency_us"])
EOF
}
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { printf "%.1f\n", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
ratios() { local out=() i; local -n num=$1 den=$2; for i in "${!num[@]}"; do out+=("$(ratio "${num[$i]}" "${den[$i]}")"); done; echo "${out[*]}"; }

NB=(java -jar "$JAR")
echo "round-trip latency on $HOST ($(nproc) CPUs, $(uname -sr)); $ROUNDS rounds x $DURATION s; netbench warm-up $WARMUP s"
echo "versions: qperf $(qperf --version 2>&1 | head -n1); $(sockperf --version 2>&1 | head -n1); netbench $("${NB[@]}" --version 2>&1 | head -n1); $(java -version 2>&1 | head -n1)"
echo "figure: mean RTT / 2 in us, every tool; tcp_lat $MSG_TCP B (sockperf $((MSG_TCP < 14 ? 14 : MSG_TCP)) B), udp_lat $MSG_UDP B"

SOCKPERF_TCP=$((MSG_TCP < 14 ? 14 : MSG_TCP))
for placement in $PLACEMENTS; do
    case $placement in
        cross) scpu=$SERVER_CPU ccpu=$CLIENT_CPU ;;
        same) scpu=$SERVER_CPU ccpu=$SERVER_CPU ;;
        *) die 2 "PLACEMENTS: '$placement' is neither cross nor same" ;;
    esac
    echo
    echo "== $placement-core: servers on CPU $scpu, clients on CPU $ccpu"
    start qperf "$QPERF_PORT" "$scpu" qperf --listen_port "$QPERF_PORT"
    start sockperf-tcp "$SOCKPERF_PORT" "$scpu" sockperf server -i "$HOST" -p "$SOCKPERF_PORT" --tcp
    start sockperf-udp "$((SOCKPERF_PORT + 1))" "$scpu" sockperf server -i "$HOST" -p "$((SOCKPERF_PORT + 1))"
    start netbench "$NETBENCH_PORT" "$scpu" "${NB[@]}" server -p "$NETBENCH_PORT" --http-port "$((NETBENCH_PORT + 5))" -B "$HOST"
    # priming: one short unrecorded run of each, so no round pays for a cold server (netbench's JIT)
    client "$ccpu" "$WORK/prime" "${NB[@]}" client --tcp-lat --udp-lat -t 2 --warmup 0 -p "$NETBENCH_PORT" "$HOST"
    client "$ccpu" "$WORK/prime" qperf "$HOST" --listen_port "$QPERF_PORT" -t 1 tcp_lat
    TQ=() TN=() TS=() TB=() UQ=() UN=() US=()
    for ((r = 1; r <= ROUNDS; r++)); do
        o=$WORK/$placement.r$r
        line="round $r/$ROUNDS:"
        if [[ " $TESTS " == *" tcp_lat "* ]]; then
            client "$ccpu" "$o.tq" qperf "$HOST" --listen_port "$QPERF_PORT" -t "$DURATION" -m "$MSG_TCP" tcp_lat
            client "$ccpu" "$o.tn" "${NB[@]}" client --tcp-lat --msg "$MSG_TCP" -t "$DURATION" --warmup "$WARMUP" --json -p "$NETBENCH_PORT" "$HOST"
            client "$ccpu" "$o.ts" sockperf ping-pong -i "$HOST" -p "$SOCKPERF_PORT" --tcp -m "$SOCKPERF_TCP" -t "$DURATION"
            client "$ccpu" "$o.tb" "${NB[@]}" client --tcp-lat --busy-poll --msg "$MSG_TCP" -t "$DURATION" --warmup "$WARMUP" --json -p "$NETBENCH_PORT" "$HOST"
            TQ+=("$(qperf_us "$o.tq")") TN+=("$(netbench_us "$o.tn" tcp_lat blocking)") TS+=("$(sockperf_us "$o.ts" || die 1 "no avg-latency in sockperf's output")") TB+=("$(netbench_us "$o.tb" tcp_lat busy_poll)")
            line+=" tcp_lat qperf ${TQ[-1]} netbench ${TN[-1]} sockperf ${TS[-1]} netbench-busy-poll ${TB[-1]};"
        fi
        if [[ " $TESTS " == *" udp_lat "* ]]; then
            client "$ccpu" "$o.uq" qperf "$HOST" --listen_port "$QPERF_PORT" -t "$DURATION" -m "$MSG_UDP" udp_lat
            client "$ccpu" "$o.un" "${NB[@]}" client --udp-lat --msg "$MSG_UDP" -t "$DURATION" --warmup "$WARMUP" --json -p "$NETBENCH_PORT" "$HOST"
            client "$ccpu" "$o.us" sockperf ping-pong -i "$HOST" -p "$((SOCKPERF_PORT + 1))" -m "$MSG_UDP" -t "$DURATION"
            UQ+=("$(qperf_us "$o.uq")") UN+=("$(netbench_us "$o.un" udp_lat)") US+=("$(sockperf_us "$o.us" || die 1 "no avg-latency in sockperf's output")")
            line+=" udp_lat qperf ${UQ[-1]} netbench ${UN[-1]} sockperf ${US[-1]};"
        fi
        echo "$line" | awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^[0-9.]+;?$/) { s = ($i ~ /;$/); $i = sprintf("%.1f%s", $i, s ? ";" : "") } print }'
    done
    echo "-- $placement-core summary, medians of $ROUNDS (us, mean RTT / 2); ratios per round in ()"
    if ((${#TQ[@]})); then
        echo "tcp_lat: qperf $(median "${TQ[@]}"), netbench $(median "${TN[@]}"), sockperf $(median "${TS[@]}"), netbench --busy-poll $(median "${TB[@]}")"
        echo "  netbench/qperf $(ratio "$(median "${TN[@]}")" "$(median "${TQ[@]}")") ($(ratios TN TQ));" \
            "netbench/sockperf $(ratio "$(median "${TN[@]}")" "$(median "${TS[@]}")") ($(ratios TN TS));" \
            "busy-poll/qperf $(ratio "$(median "${TB[@]}")" "$(median "${TQ[@]}")") ($(ratios TB TQ))"
    fi
    if ((${#UQ[@]})); then
        echo "udp_lat: qperf $(median "${UQ[@]}"), netbench $(median "${UN[@]}"), sockperf $(median "${US[@]}")"
        echo "  netbench/qperf $(ratio "$(median "${UN[@]}")" "$(median "${UQ[@]}")") ($(ratios UN UQ));" \
            "netbench/sockperf $(ratio "$(median "${UN[@]}")" "$(median "${US[@]}")") ($(ratios UN US))"
    fi
    stop_servers
done
