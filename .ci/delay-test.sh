#!/usr/bin/env bash
# A latency ground truth: client and server in two network namespaces joined through a router that holds every IP
# packet DELAY_MS in each direction (bench/delay-router.py on a TUN device; this kernel has no netem). A round trip
# is then 2 x DELAY plus the path's own and the wake-ups (1 to 2 ms per round trip here, 2.5 to 5 % of the default
# 40 ms), and every latency figure must read it: tcp_lat and udp_lat latency = mean RTT / 2 = DELAY and RTT p50 =
# 2 x DELAY; tcp_crr connect (SYN to SYN-ACK) = one RTT and transaction (handshake, then request and answer with
# the server's FIN behind it, per docs/metrics.md) = two RTTs; http keep-alive latency (request and response on an
# open connection) = one RTT; http without keep-alive: connect one RTT, total two.
# Each figure must lie in [0.99 x E, 1.15 x E + 1 ms] for its expectation E: the router never delivers early (the
# 1 % allows for histogram rounding), and the upper bound leaves room for the path's and the router's own time and
# wake-ups (here the router sent a packet 0.2 ms late at p50 and 5 ms at p99, and each end took 0.6 ms at p50 to
# answer what it was woken for; means take the tail), while a figure in RTT where RTT/2 was meant (x2), in the
# wrong unit (x1000), missing the handshake's round trip or counting one more (x0.5, x1.5 for a transaction) is
# far outside. Needs root, iproute2 and python3. Prints each figure against its expectation, then
# "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
jar=cli/target/netbench.jar
[ -f "$jar" ] || { echo "delay-test: $jar missing (run ./mvnw -B package first)" >&2; exit 2; }
DELAY_MS=${DELAY_MS:-20}
CLI=nbd-cli-$$ RTR=nbd-rtr-$$ SRV=nbd-srv-$$
CLI_IP=10.236.1.2 SRV_IP=10.236.2.2 PORT=17575 HTTP_PORT=17580
passed=0 failed=0

source bench/netns-delay.sh
trap 'netns_routed_del "$CLI" "$RTR" "$SRV"' EXIT
netns_delay "$CLI" "$RTR" "$SRV" $CLI_IP $SRV_IP "$DELAY_MS"

ip netns exec "$SRV" timeout 300 java -jar "$jar" server -p $PORT --http-port $HTTP_PORT -B $SRV_IP > /tmp/nbd-server-$$.log 2>&1 &
for _ in $(seq 100); do
  ip netns exec "$CLI" bash -c "exec 3<>/dev/tcp/$SRV_IP/$PORT" 2>/dev/null && break
  sleep 0.2
done

nb() { ip netns exec "$CLI" timeout 60 java -jar "$jar" client --json --warmup 1 -p $PORT --http-port $HTTP_PORT -q "$@" $SRV_IP; }
# a dotted path into results[0], e.g. rtt_us.p50
field() { python3 -c "import json,sys; v=json.load(sys.stdin)['results'][0]
for k in sys.argv[1].split('.'): v=v[k]
print(v)" "$1"; }

check() { # name, measured (us), expected (us)
  local name=$1 got=$2 want=$3
  if python3 -c "import sys; sys.exit(0 if 0.99 * $want <= $got <= 1.15 * $want + 1000 else 1)"; then
    printf 'ok      %-40s %10.0f us  expected %6.0f us (%+.1f %%)\n' "$name" "$got" "$want" "$(python3 -c "print(($got / $want - 1) * 100)")"
    passed=$((passed + 1))
  else
    printf 'FAILED  %-40s %10.0f us  expected %6.0f us in [0.99 E, 1.15 E + 1 ms]\n' "$name" "$got" "$want"
    failed=$((failed + 1))
  fi
}

d=$((DELAY_MS * 1000)) # one way, us
echo "delay $DELAY_MS ms each way: RTT = $((2 * d)) us"
tl=$(nb --tcp-lat -t 3)
check "tcp_lat latency_us (RTT/2)" "$(field latency_us <<< "$tl")" $d
check "tcp_lat rtt_us.p50" "$(field rtt_us.p50 <<< "$tl")" $((2 * d))
ul=$(nb --udp-lat -t 3)
check "udp_lat latency_us (RTT/2)" "$(field latency_us <<< "$ul")" $d
check "udp_lat rtt_us.p50" "$(field rtt_us.p50 <<< "$ul")" $((2 * d))
lost=$(field lost_packets <<< "$ul")
if [ "$lost" -eq 0 ]; then echo "ok      udp_lat lost no datagram"; passed=$((passed + 1)); else echo "FAILED  udp_lat lost $lost datagrams on a lossless path"; failed=$((failed + 1)); fi
crr=$(nb --tcp-crr -t 4)
check "tcp_crr connect_us.p50 (1 RTT)" "$(field connect_us.p50 <<< "$crr")" $((2 * d))
check "tcp_crr transaction_us.p50 (2 RTT)" "$(field transaction_us.p50 <<< "$crr")" $((4 * d))
ht=$(nb --http -t 3)
check "http keep-alive latency_us.p50 (1 RTT)" "$(field latency_us.p50 <<< "$ht")" $((2 * d))
hc=$(nb --http --no-keepalive -t 3)
check "http no-keepalive connect_us.p50 (1 RTT)" "$(field connect_us.p50 <<< "$hc")" $((2 * d))
check "http no-keepalive total_us.p50 (2 RTT)" "$(field total_us.p50 <<< "$hc")" $((4 * d))

echo "delay: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
