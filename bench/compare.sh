#!/usr/bin/env bash
# Compare netbench with the tools it replaces, on loopback (127.0.0.1 only):
#   TCP bandwidth: iperf3          vs netbench --tcp-bw  (receiver goodput, same write size, same warm-up)
#   TCP latency:   qperf tcp_lat   vs netbench --tcp-lat (mean RTT / 2, same message size)
#   UDP latency:   qperf udp_lat   vs netbench --udp-lat (mean RTT / 2, same datagram size)
# then HTTP (bench/compare-http.sh: ab and nginx) and UDP loss and rate on a lossy link between two network
# namespaces (bench/compare-udp-link.sh: iperf3 -u; needs root, so skipped without it).
#
# Every server is pinned to SERVER_CPU and every client to CLIENT_CPU with taskset, the same for all tools
# (latency moves ~4x with core placement). Each round runs iperf3, netbench --tcp-bw, qperf, netbench --tcp-lat
# in that order (ABAB across rounds), so slow drift of the machine hits both tools of a pair alike.
# The summary compares the medians over the rounds.
#
# Installs nothing. Needs iperf3, qperf, taskset, java and python3 (or jq). If cli/target/netbench.jar is
# missing it is built with ./mvnw (or mvn when there is no wrapper): `package -DskipTests`.
#
# Knobs (environment):
#   DURATION=10     measured seconds per measurement
#   ROUNDS=3        rounds; the summary takes the median over them
#   PRIME=2         seconds of one unrecorded run of every tool before round 1 (0: none), so that no round
#                   pays for a cold server (the netbench server is a JVM that JIT-compiles on its first test)
#   WARMUP=1        warm-up seconds excluded from the figures: iperf3 -O, netbench --warmup (qperf has no warm-up)
#   SERVER_CPU=0    CPU of every server (taskset -c)
#   CLIENT_CPU=1    CPU of every client (taskset -c)
#   MSG_BW=128K     tcp_bw write size: iperf3 -l, netbench --msg   (K=1024, k=1000, M=1024^2, m=10^6)
#   MSG_LAT=1       tcp_lat message size: qperf -m, netbench --msg
#   MSG_UDP_LAT=20  udp_lat datagram size: qperf -m, netbench --msg (netbench's smallest datagram is 20 bytes)
#   NETBENCH_JVM_OPTS=   extra JVM options for the netbench server and client (e.g. -XX:+UseSerialGC)
#
# Exit status: 0 when every measurement ran (whatever the ratios: this is a report), 1 when a tool failed,
# 2 when something needed is missing.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-3}
WARMUP=${WARMUP:-1}
PRIME=${PRIME:-2}
SERVER_CPU=${SERVER_CPU:-0}
CLIENT_CPU=${CLIENT_CPU:-1}
MSG_BW=${MSG_BW:-128K}
MSG_LAT=${MSG_LAT:-1}
MSG_UDP_LAT=${MSG_UDP_LAT:-20}
NETBENCH_JVM_OPTS=${NETBENCH_JVM_OPTS:-}

HOST=127.0.0.1
IPERF3_PORT=15201
QPERF_PORT=19766
NETBENCH_PORT=17575
JAR=cli/target/netbench.jar

BW_TARGET=0.90   # netbench/iperf3 goodput must be >= this
LAT_TARGET=1.15  # netbench/qperf latency must be <= this (tcp_lat and udp_lat)

die() { echo "compare.sh: $2" >&2; exit "$1"; }

# ---- prerequisites (nothing is installed) ------------------------------------------------------------------
command -v iperf3 >/dev/null || die 2 "iperf3 not found: install it (Debian/Ubuntu: apt-get install iperf3)"
command -v qperf >/dev/null || die 2 "qperf not found: install it (Debian/Ubuntu: apt-get install qperf)"
command -v taskset >/dev/null || die 2 "taskset not found: install util-linux (Debian/Ubuntu: apt-get install util-linux)"
command -v java >/dev/null || die 2 "java not found: install a Java 17+ runtime (Debian/Ubuntu: apt-get install openjdk-17-jre-headless)"
if command -v python3 >/dev/null; then
    JSON=python3
elif command -v jq >/dev/null; then
    JSON=jq
else
    die 2 "neither python3 nor jq found: install one of them to parse JSON (apt-get install python3)"
fi

if [[ ! -f $JAR ]]; then
    # The jar is the one thing this script may build, from this checkout, with the Maven wrapper if present.
    if [[ -x ./mvnw ]]; then
        echo "compare.sh: $JAR missing, building it with ./mvnw -q -B -DskipTests package" >&2
        ./mvnw -q -B -DskipTests package >&2 || die 2 "building $JAR with ./mvnw failed"
    elif command -v mvn >/dev/null; then
        echo "compare.sh: $JAR missing, building it with mvn -q -B -DskipTests package" >&2
        mvn -q -B -DskipTests package >&2 || die 2 "building $JAR with mvn failed"
    else
        die 2 "$JAR missing and no ./mvnw or mvn to build it: build it with 'mvn -B -DskipTests package'"
    fi
    [[ -f $JAR ]] || die 2 "$JAR still missing after the build"
fi

for knob in DURATION ROUNDS WARMUP PRIME SERVER_CPU CLIENT_CPU; do
    [[ ${!knob} =~ ^[0-9]+$ ]] || die 2 "$knob='${!knob}' is not a whole number"
done
((DURATION >= 1)) || die 2 "DURATION must be >= 1"
((ROUNDS >= 1)) || die 2 "ROUNDS must be >= 1"
taskset -c "$SERVER_CPU" true 2>/dev/null || die 2 "SERVER_CPU=$SERVER_CPU is not a CPU this process may use"
taskset -c "$CLIENT_CPU" true 2>/dev/null || die 2 "CLIENT_CPU=$CLIENT_CPU is not a CPU this process may use"

# Sizes in bytes, netbench/qperf syntax, so every tool gets the same plain number.
bytes() {
    local s=$1 n mult=1
    case $s in
        *K) mult=1024 ;;
        *k) mult=1000 ;;
        *M) mult=$((1024 * 1024)) ;;
        *m) mult=1000000 ;;
    esac
    n=${s%[KkMm]}
    [[ $n =~ ^[0-9]+$ ]] || die 2 "'$s' is not a size (examples: 1, 1500, 64K, 1M)"
    echo $((10#$n * mult))
}
MSG_BW_BYTES=$(bytes "$MSG_BW")
MSG_LAT_BYTES=$(bytes "$MSG_LAT")
MSG_UDP_LAT_BYTES=$(bytes "$MSG_UDP_LAT")
((MSG_UDP_LAT_BYTES >= 20)) || die 2 "MSG_UDP_LAT must be at least 20 bytes"
((MSG_BW_BYTES >= 1 && MSG_LAT_BYTES >= 1)) || die 2 "MSG_BW and MSG_LAT must be at least 1 byte"

# ---- helpers ----------------------------------------------------------------------------------------------
WORK=$(mktemp -d "${TMPDIR:-/tmp}/netbench-compare.XXXXXX")
SERVER_PIDS=()
cleanup() {
    local pid
    for pid in "${SERVER_PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${SERVER_PIDS[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# json_get FILE EXPR: EXPR is a jq path like .end.sum_received.bits_per_second
json_get() {
    if [[ $JSON == python3 ]]; then
        python3 - "$1" "$2" <<'EOF'
import json, sys
value = json.load(open(sys.argv[1]))
for key in sys.argv[2].strip(".").split("."):
    value = value[key]
print(repr(float(value)))
EOF
    else
        jq -er "$2" "$1"
    fi
}

listening() { ss -Hltn "sport = :$1" 2>/dev/null | grep -q .; }

port_free() {
    if command -v ss >/dev/null && listening "$1"; then
        die 1 "port $1 ($2) is already in use on this host; stop whatever listens there"
    fi
}

# start_server NAME PORT LOG CMD...: pin to SERVER_CPU, remember the pid, wait until it listens.
start_server() {
    local name=$1 port=$2 log=$3 i
    shift 3
    port_free "$port" "$name"
    taskset -c "$SERVER_CPU" "$@" >"$log" 2>&1 &
    SERVER_PIDS+=($!)
    for ((i = 0; i < 100; i++)); do
        kill -0 "${SERVER_PIDS[-1]}" 2>/dev/null || { cat "$log" >&2; die 1 "$name server exited at start"; }
        if command -v ss >/dev/null; then
            listening "$port" && return 0
        elif ((i >= 30)); then
            return 0   # no ss: give it 3 s
        fi
        sleep 0.1
    done
    cat "$log" >&2
    die 1 "$name server not listening on port $port after 10 s"
}

check_servers() {
    local pid
    for pid in "${SERVER_PIDS[@]}"; do
        kill -0 "$pid" 2>/dev/null || die 1 "a server (pid $pid) died; logs in $WORK were: $(tail -n 5 "$WORK"/*.server.log 2>/dev/null)"
    done
}

# run_client NAME OUT CMD...: pin to CLIENT_CPU; stdout to OUT, stderr to OUT.err; exit 1 on failure.
run_client() {
    local name=$1 out=$2
    shift 2
    check_servers
    if ! taskset -c "$CLIENT_CPU" "$@" >"$out" 2>"$out.err"; then
        echo "compare.sh: $name failed: $*" >&2
        tail -n 20 "$out" "$out.err" >&2 || true
        exit 1
    fi
}

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
gbit() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1e9 }'; }
usec() { awk -v u="$1" 'BEGIN { printf "%.1f", u }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
raw_ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.9g", a / b }'; }
two() { printf '%.2f\n' "$@" | paste -sd ' '; }

# qperf prints "latency = 26.5 us" with ns, us, ms or sec; return microseconds.
qperf_latency_us() {
    awk '$1 == "latency" && $2 == "=" {
             v = $3; u = $4
             if (u == "ns") v /= 1000; else if (u == "us") v *= 1; else if (u == "ms") v *= 1000;
             else if (u == "sec" || u == "s") v *= 1000000; else { print "unit " u > "/dev/stderr"; exit 1 }
             printf "%.6f\n", v; found = 1; exit 0 }
         END { if (!found) exit 1 }' "$1"
}

# read netbench's results[] entry for TEST; prints FIELD
netbench_get() {
    local file=$1 test=$2 field=$3
    if [[ $JSON == python3 ]]; then
        python3 - "$file" "$test" "$field" <<'EOF'
import json, sys
doc = json.load(open(sys.argv[1]))
hits = [r for r in doc["results"] if r["test"] == sys.argv[2]]
if len(hits) != 1:
    sys.exit("expected one %s result, got %d" % (sys.argv[2], len(hits)))
print(repr(float(hits[0][sys.argv[3]])))
EOF
    else
        jq -er --arg t "$test" --arg f "$field" '[.results[] | select(.test == $t)] | if length == 1 then .[0][$f] else error("expected one result") end' "$file"
    fi
}

port_free "$IPERF3_PORT" iperf3
port_free "$QPERF_PORT" qperf
port_free "$NETBENCH_PORT" netbench

# ---- header -----------------------------------------------------------------------------------------------
# shellcheck disable=SC2086  # NETBENCH_JVM_OPTS is a word list on purpose
NETBENCH=(java $NETBENCH_JVM_OPTS -jar "$JAR")

echo "netbench comparison on $HOST ($(nproc) CPUs online, $(uname -sr))"
echo "versions:"
echo "  iperf3:   $(iperf3 --version 2>&1 | head -n 1)"
echo "  qperf:    $(qperf --version 2>&1 | head -n 1)"
echo "  netbench: $("${NETBENCH[@]}" --version 2>&1 | paste -sd ';' | sed 's/;/; /g')"
echo "  java:     $(java -version 2>&1 | head -n 1)${NETBENCH_JVM_OPTS:+  (netbench JVM options: $NETBENCH_JVM_OPTS)}"
echo "pinning:    servers taskset -c $SERVER_CPU, clients taskset -c $CLIENT_CPU (all tools)"
echo "settings:   $ROUNDS rounds x $DURATION s per measurement, warm-up $WARMUP s, unrecorded priming run ${PRIME} s per tool;" \
    "tcp_bw write $MSG_BW_BYTES B (iperf3 -l, netbench --msg), tcp_lat message $MSG_LAT_BYTES B, udp_lat datagram $MSG_UDP_LAT_BYTES B (qperf -m, netbench --msg)"
echo "ports:      iperf3 $IPERF3_PORT, qperf $QPERF_PORT, netbench $NETBENCH_PORT"
echo

# ---- servers (kept for the whole run; killed on exit) -----------------------------------------------------
start_server iperf3 "$IPERF3_PORT" "$WORK/iperf3.server.log" iperf3 -s -B "$HOST" -p "$IPERF3_PORT"
start_server qperf "$QPERF_PORT" "$WORK/qperf.server.log" qperf --listen_port "$QPERF_PORT"
start_server netbench "$NETBENCH_PORT" "$WORK/netbench.server.log" "${NETBENCH[@]}" server -p "$NETBENCH_PORT" -B "$HOST"

# ---- priming: one short unrecorded run of every tool, same for all -----------------------------------------
if ((PRIME > 0)); then
    out=$WORK/prime
    run_client iperf3 "$out.iperf3.json" iperf3 -c "$HOST" -p "$IPERF3_PORT" -t "$PRIME" -l "$MSG_BW_BYTES" -J
    run_client "netbench --tcp-bw" "$out.nb_bw.json" "${NETBENCH[@]}" client --tcp-bw --msg "$MSG_BW_BYTES" \
        -t "$PRIME" --warmup 0 --json -p "$NETBENCH_PORT" "$HOST"
    run_client qperf "$out.qperf.txt" qperf "$HOST" --listen_port "$QPERF_PORT" -t "$PRIME" -m "$MSG_LAT_BYTES" tcp_lat
    run_client "netbench --tcp-lat" "$out.nb_lat.json" "${NETBENCH[@]}" client --tcp-lat --msg "$MSG_LAT_BYTES" \
        -t "$PRIME" --warmup 0 --json -p "$NETBENCH_PORT" "$HOST"
    run_client qperf "$out.qperf_udp.txt" qperf "$HOST" --listen_port "$QPERF_PORT" -t "$PRIME" -m "$MSG_UDP_LAT_BYTES" udp_lat
    run_client "netbench --udp-lat" "$out.nb_udp_lat.json" "${NETBENCH[@]}" client --udp-lat --msg "$MSG_UDP_LAT_BYTES" \
        -t "$PRIME" --warmup 0 --json -p "$NETBENCH_PORT" "$HOST"
fi

# ---- rounds -----------------------------------------------------------------------------------------------
BW_IPERF=() BW_NB=() LAT_QPERF=() LAT_NB=() BW_RATIOS=() LAT_RATIOS=() ULAT_QPERF=() ULAT_NB=() ULAT_RATIOS=()
for ((r = 1; r <= ROUNDS; r++)); do
    out=$WORK/r$r
    # A: iperf3, receiver goodput after the -O warm-up
    run_client iperf3 "$out.iperf3.json" iperf3 -c "$HOST" -p "$IPERF3_PORT" -t "$DURATION" -O "$WARMUP" -l "$MSG_BW_BYTES" -J
    bw_i=$(json_get "$out.iperf3.json" .end.sum_received.bits_per_second) || die 1 "cannot read iperf3's end.sum_received.bits_per_second"
    # B: netbench --tcp-bw
    run_client "netbench --tcp-bw" "$out.nb_bw.json" "${NETBENCH[@]}" client --tcp-bw --msg "$MSG_BW_BYTES" \
        -t "$DURATION" --warmup "$WARMUP" --json -p "$NETBENCH_PORT" "$HOST"
    bw_n=$(netbench_get "$out.nb_bw.json" tcp_bw bits_per_second) || die 1 "cannot read netbench's tcp_bw bits_per_second"
    # A: qperf tcp_lat (latency = mean RTT / 2)
    run_client qperf "$out.qperf.txt" qperf "$HOST" --listen_port "$QPERF_PORT" -t "$DURATION" -m "$MSG_LAT_BYTES" -vu tcp_lat
    lat_q=$(qperf_latency_us "$out.qperf.txt") || { cat "$out.qperf.txt" >&2; die 1 "cannot read qperf's 'latency = X unit' line"; }
    # B: netbench --tcp-lat (latency_us = mean RTT / 2)
    run_client "netbench --tcp-lat" "$out.nb_lat.json" "${NETBENCH[@]}" client --tcp-lat --msg "$MSG_LAT_BYTES" \
        -t "$DURATION" --warmup "$WARMUP" --json -p "$NETBENCH_PORT" "$HOST"
    lat_n=$(netbench_get "$out.nb_lat.json" tcp_lat latency_us) || die 1 "cannot read netbench's tcp_lat latency_us"
    # A: qperf udp_lat; B: netbench --udp-lat (both mean RTT / 2)
    run_client qperf "$out.qperf_udp.txt" qperf "$HOST" --listen_port "$QPERF_PORT" -t "$DURATION" -m "$MSG_UDP_LAT_BYTES" -vu udp_lat
    ulat_q=$(qperf_latency_us "$out.qperf_udp.txt") || { cat "$out.qperf_udp.txt" >&2; die 1 "cannot read qperf's udp_lat latency line"; }
    run_client "netbench --udp-lat" "$out.nb_udp_lat.json" "${NETBENCH[@]}" client --udp-lat --msg "$MSG_UDP_LAT_BYTES" \
        -t "$DURATION" --warmup "$WARMUP" --json -p "$NETBENCH_PORT" "$HOST"
    ulat_n=$(netbench_get "$out.nb_udp_lat.json" udp_lat latency_us) || die 1 "cannot read netbench's udp_lat latency_us"
    ULAT_QPERF+=("$ulat_q") ULAT_NB+=("$ulat_n") ULAT_RATIOS+=("$(raw_ratio "$ulat_n" "$ulat_q")")

    BW_IPERF+=("$bw_i") BW_NB+=("$bw_n") LAT_QPERF+=("$lat_q") LAT_NB+=("$lat_n")
    BW_RATIOS+=("$(raw_ratio "$bw_n" "$bw_i")") LAT_RATIOS+=("$(raw_ratio "$lat_n" "$lat_q")")
    echo "round $r/$ROUNDS: tcp_bw  iperf3 $(gbit "$bw_i") Gbit/s, netbench $(gbit "$bw_n") Gbit/s (ratio $(ratio "$bw_n" "$bw_i"));" \
        "tcp_lat qperf $(usec "$lat_q") us, netbench $(usec "$lat_n") us (ratio $(ratio "$lat_n" "$lat_q"));" \
        "udp_lat qperf $(usec "$ulat_q") us, netbench $(usec "$ulat_n") us (ratio $(ratio "$ulat_n" "$ulat_q"))"
done

# ---- summary ----------------------------------------------------------------------------------------------
m_bw_i=$(median "${BW_IPERF[@]}")
m_bw_n=$(median "${BW_NB[@]}")
m_lat_q=$(median "${LAT_QPERF[@]}")
m_lat_n=$(median "${LAT_NB[@]}")
bw_ratio=$(ratio "$m_bw_n" "$m_bw_i")
lat_ratio=$(ratio "$m_lat_n" "$m_lat_q")
bw_verdict=$(awk -v r="$m_bw_n" -v b="$m_bw_i" -v t="$BW_TARGET" 'BEGIN { print (r / b >= t) ? "PASS" : "BELOW TARGET" }')
lat_verdict=$(awk -v r="$m_lat_n" -v q="$m_lat_q" -v t="$LAT_TARGET" 'BEGIN { print (r / q <= t) ? "PASS" : "BELOW TARGET" }')
m_ulat_q=$(median "${ULAT_QPERF[@]}")
m_ulat_n=$(median "${ULAT_NB[@]}")
ulat_verdict=$(awk -v r="$m_ulat_n" -v q="$m_ulat_q" -v t="$LAT_TARGET" 'BEGIN { print (r / q <= t) ? "PASS" : "BELOW TARGET" }')

echo
echo "summary (median of $ROUNDS):"
echo "tcp_bw  netbench/iperf3 = $bw_ratio  (netbench $(gbit "$m_bw_n") Gbit/s, iperf3 $(gbit "$m_bw_i") Gbit/s, median of $ROUNDS)  target >= $BW_TARGET  $bw_verdict"
echo "tcp_lat netbench/qperf  = $lat_ratio  (netbench $(usec "$m_lat_n") us, qperf $(usec "$m_lat_q") us, median of $ROUNDS)  target <= $LAT_TARGET  $lat_verdict"
echo "udp_lat netbench/qperf  = $(ratio "$m_ulat_n" "$m_ulat_q")  (netbench $(usec "$m_ulat_n") us, qperf $(usec "$m_ulat_q") us, median of $ROUNDS)  target <= $LAT_TARGET  $ulat_verdict"
# The ratios above are of the medians; the per-round (paired) ratios show how much the machine's noise moved them.
echo "per-round ratios: tcp_bw $(two "${BW_RATIOS[@]}") (median $(two "$(median "${BW_RATIOS[@]}")"));" \
    "tcp_lat $(two "${LAT_RATIOS[@]}") (median $(two "$(median "${LAT_RATIOS[@]}")"));" \
    "udp_lat $(two "${ULAT_RATIOS[@]}") (median $(two "$(median "${ULAT_RATIOS[@]}")"))"

# ---- http: ab and nginx, in a script of its own ------------------------------------------------------------
echo
if command -v ab >/dev/null && { command -v nginx >/dev/null || [ -x /usr/sbin/nginx ]; }; then
    echo "http (bench/compare-http.sh, same pinning):"
    DURATION=$DURATION ROUNDS=$ROUNDS SERVER_CPU=$SERVER_CPU CLIENT_CPU=$CLIENT_CPU bash bench/compare-http.sh \
        || die 1 "bench/compare-http.sh failed"
else
    echo "http: skipped (needs ab and nginx: apt-get install apache2-utils nginx)"
fi

# ---- udp loss and rate on a lossy link: needs root for the network namespaces ------------------------------
echo
if [[ $(id -u) -eq 0 ]] && command -v iptables >/dev/null && command -v ip >/dev/null; then
    echo "udp on a lossy link (bench/compare-udp-link.sh):"
    DURATION=$DURATION ROUNDS=$ROUNDS bash bench/compare-udp-link.sh || die 1 "bench/compare-udp-link.sh failed"
else
    echo "udp on a lossy link: skipped (needs root, iproute2 and iptables for network namespaces)"
fi
exit 0
