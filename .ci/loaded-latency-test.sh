#!/usr/bin/env bash
# Latency under load against a known queue (bufferbloat): two network namespaces joined by a veth pair, each side's
# egress shaped by tbf at 50 Mbit/s with a queue of LATENCY (tbf's `latency`: the queue holds that long of data at
# the rate, plus the burst). While bulk TCP streams keep the link full, every datagram of a round-trip test waits
# behind a full queue in the loaded direction, so `netbench client --under-load` must read:
#   - idle: the round trips of an empty path, under 1 ms at p50;
#   - loaded p50: one queue's delay Q = latency + burst / rate per loaded direction crossed (tcp_lat, udp_lat and
#     http's keep-alive request: one; tcp_crr: two, its SYN and its request), within [0.6 Q, 1.1 Q + 1 ms]: a loss-based sender (cubic, set in both
#     namespaces) keeps the queue between about 70 % and 100 % full, so RTT/2 for RTT (x0.5), a doubled RTT (x2) or
#     an idle run's round trips taken for the loaded one's fall outside;
#   - a deep queue (40 ms) and a shallow one (4 ms) each against its own Q;
#   - the load's goodput: the link's payload share, rate x 1448 / 1514 (full frames of a 1500-byte MTU with TCP
#     timestamps, as tbf counts them on a veth), within 2 % for one stream and for four sending; four receiving
#     from 3 % below (summed over their common window, data beyond a loss's hole counts once it is filled:
#     docs/metrics.md says so); loaded both ways, each link
#     also carries the other direction's ACKs, a 66-byte frame per one or two segments, so one stream each way lies
#     between rate x 1448 / (1514 + 66) and rate x 1448 / 1514, within 1 %;
#   - RPM consistent with the loaded distribution: 60 s over a mean that lies between its minimum and its p95.
# BBR (this host's default) keeps a queue short by design; cubic is what fills it, and is the kernel's own default.
# Needs root, iproute2 and python3. Prints each figure against its expectation, then "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
jar=cli/target/netbench.jar
[ -f "$jar" ] || { echo "loaded-latency-test: $jar missing (run ./mvnw -B package first)" >&2; exit 2; }
RATE_MBIT=50 BURST=16384
SRV=nbl-srv-$$ CLI=nbl-cli-$$
SRV_IP=10.233.0.1 CLI_IP=10.233.0.2 PORT=17576 HTTP_PORT=17586
passed=0 failed=0

source bench/netns-pair.sh
# a namespace may take only a congestion control the host allows (tcp_allowed_congestion_control): cubic is
# allowed for the run and the host's list put back after it
allowed=$(cat /proc/sys/net/ipv4/tcp_allowed_congestion_control)
trap 'netns_pair_del "$SRV" "$CLI"; rm -f /tmp/nbl-$$.json; sysctl -q -w net.ipv4.tcp_allowed_congestion_control="$allowed"' EXIT
netns_pair "$SRV" "$CLI" $SRV_IP $CLI_IP
[[ " $allowed " == *" cubic "* ]] || sysctl -q -w net.ipv4.tcp_allowed_congestion_control="$allowed cubic"
for ns in "$SRV" "$CLI"; do
  ip netns exec "$ns" sysctl -q -w net.ipv4.tcp_congestion_control=cubic
done
queue() { # LATENCY_MS: both sides' egress queue
  for ns in "$SRV" "$CLI"; do
    ip netns exec "$ns" tc qdisc replace dev eth0 root tbf rate ${RATE_MBIT}mbit burst $BURST latency "$1ms"
  done
}
queue 40

ip netns exec "$SRV" timeout 600 java -jar "$jar" server -p $PORT --http-port $HTTP_PORT -B $SRV_IP > /tmp/nbl-server-$$.log 2>&1 &
for _ in $(seq 100); do
  ip netns exec "$CLI" bash -c "exec 3<>/dev/tcp/$SRV_IP/$PORT" 2>/dev/null && break
  sleep 0.2
done

source .ci/check.sh

# one --under-load run into /tmp/nbl-$$.json; prints its figures on one line
run() {
  ip netns exec "$CLI" timeout 120 java -jar "$jar" client --json --warmup 1 -t 4 -p $PORT --http-port $HTTP_PORT -q --under-load "$@" $SRV_IP > /tmp/nbl-$$.json
}
# test idle_p50 loaded_p50 loaded_p95 loaded_min rpm load up down (µs; bit/s)
figures() {
  python3 - /tmp/nbl-$$.json <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))['results'][0]
k = {'tcp_crr': 'transaction_us', 'http': 'latency_us'}.get(r['test'], 'rtt_us')
i, l, load = r['idle'][k], r['loaded'][k], r['load']
none = lambda v: 'None' if v is None else v
print(r['test'], i['p50'], l['p50'], l['percentiles']['95'], l['min'], r['rpm'], r['load_bits_per_second'],
      none(load['up_bits_per_second']), none(load['down_bits_per_second']), i['p99'], l['p99'])
EOF
}
goodput=$(python3 -c "print($RATE_MBIT * 1e6 * 1448 / 1514)")
both_low=$(python3 -c "print($RATE_MBIT * 1e6 * 1448 / (1514 + 66) * 0.99)")
both_high=$(python3 -c "print($RATE_MBIT * 1e6 * 1448 / 1514 * 1.01)")

# loaded: QUEUE_MS CROSSINGS (how many loaded queues the round trip's datagrams wait in) DIRECTION STREAMS TEST
loaded() {
  local queue_ms=$1 crossings=$2 dir=$3 streams=$4 test=$5
  run "--$test" --load-direction "$dir" --load-streams "$streams"
  read -r name idle p50 p95 min rpm load up down idle99 p99 < <(figures)
  local q
  q=$(python3 -c "print(($queue_ms + $BURST * 8 / ($RATE_MBIT * 1e3)) * $crossings)")
  python3 -c "print('$name, queue ${queue_ms} ms, $streams stream(s) $dir: idle p50 %.3f ms, p99 %.3f ms; loaded p50 %.2f ms against %.2f ms (%.2f x), p95 %.2f ms, p99 %.2f ms; rpm %.0f; load %.2f Mbit/s (link goodput %.2f per direction)'
               % ($idle / 1e3, $idle99 / 1e3, $p50 / 1e3, $q, $p50 / 1e3 / $q, $p95 / 1e3, $p99 / 1e3, $rpm, $load / 1e6, $goodput / 1e6))"
  check "$name idle p50 under 1 ms" "i < 1000" "i=$idle"
  check "$name loaded p50 within [0.6, 1.1] x ${q} ms + 1 ms ($crossings queue(s) of ${queue_ms} ms)" \
    "0.6 * q <= p / 1e3 <= 1.1 * q + 1" "p=$p50; q=$q"
  check "$name rpm = 60 s over a mean between the loaded min and p95" "60e6 / p95 * 0.999 <= r <= 60e6 / m * 1.001" \
    "r=$rpm; p95=$p95; m=$min"
  local low=0.98 high=1.02
  [ "$streams" -gt 1 ] && [ "$dir" != up ] && low=0.97
  if [ "$dir" != down ]; then
    check "$name load up within [$low, $high] x the link's goodput" "$low <= u / g <= $high" "u=$up; g=$goodput"
  fi
  if [ "$dir" != up ]; then
    check "$name load down within [$low, $high] x the link's goodput" "$low <= d / g <= $high" "d=$down; g=$goodput"
  fi
}

loaded 40 1 up 4 tcp-lat
loaded 40 1 down 4 udp-lat
loaded 40 2 up 4 tcp-crr
loaded 40 1 up 4 http
# one stream each way, on the deep queue (one shorter than the path's bandwidth-delay product leaves the link idle
# after each loss): each direction's goodput is the link's; the queue's fill is then the receive window's to decide,
# so only the goodputs and idle are held to a truth here
run --tcp-lat --load-direction both --load-streams 1
read -r name idle p50 p95 min rpm load up down idle99 p99 < <(figures)
python3 -c "print('tcp_lat, one stream each way: idle p50 %.3f ms, loaded p50 %.2f ms; up %.2f, down %.2f Mbit/s (the link beside the ACKs of the other way: %.2f to %.2f)'
             % ($idle / 1e3, $p50 / 1e3, $up / 1e6, $down / 1e6, $both_low / 1e6, $both_high / 1e6))"
check "one stream each way: up within the link's goodput beside the other way's ACKs" "lo <= u <= hi" "u=$up; lo=$both_low; hi=$both_high"
check "one stream each way: down within the link's goodput beside the other way's ACKs" "lo <= d <= hi" "d=$down; lo=$both_low; hi=$both_high"
check "one stream each way: the load is up + down" "abs(l - u - d) <= 1e-6 * l" "l=$load; u=$up; d=$down"
check "one stream each way: loaded p50 above idle" "p > i" "p=$p50; i=$idle"

queue 4
loaded 4 1 up 4 tcp-lat

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
