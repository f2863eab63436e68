#!/usr/bin/env bash
# Two emulated hosts in network namespaces joined by a veth pair, with the link rate set by a tbf qdisc on each
# side. Checks that netbench measures a known truth: tcp_bw forward and reverse land just under the configured
# rate (TCP/IP and Ethernet headers take ~4.4 % of a 1514-byte frame), agree with iperf3 on the same path, and
# that tcp_lat works across the link. Needs root, iproute2 and iperf3. Prints "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
jar=cli/target/netbench.jar
[ -f "$jar" ] || { echo "netns-test: $jar missing (run ./mvnw -B verify first)" >&2; exit 2; }
RATE_MBIT=${RATE_MBIT:-200}
SRV=nbt-srv-$$ CLI=nbt-cli-$$
SRV_IP=10.231.0.1 CLI_IP=10.231.0.2 PORT=17575 IPERF_PORT=15299
passed=0 failed=0

cleanup() {
  ip netns pids "$SRV" 2>/dev/null | xargs -r kill 2>/dev/null || true
  ip netns del "$SRV" 2>/dev/null || true
  ip netns del "$CLI" 2>/dev/null || true
}
trap cleanup EXIT

ip netns add "$SRV"
ip netns add "$CLI"
ip link add nbt-s$$ netns "$SRV" type veth peer name nbt-c$$ netns "$CLI"
ip -n "$SRV" addr add $SRV_IP/24 dev nbt-s$$
ip -n "$CLI" addr add $CLI_IP/24 dev nbt-c$$
for ns_dev in "$SRV nbt-s$$" "$CLI nbt-c$$"; do
  set -- $ns_dev
  ip -n "$1" link set lo up
  ip -n "$1" link set "$2" up
  ip netns exec "$1" tc qdisc add dev "$2" root tbf rate ${RATE_MBIT}mbit burst 64kb latency 50ms
done

ip netns exec "$SRV" java -jar "$jar" server -p $PORT -B $SRV_IP > /tmp/nbt-server-$$.log 2>&1 &
ip netns exec "$SRV" iperf3 -s -p $IPERF_PORT -B $SRV_IP > /dev/null 2>&1 &
for _ in $(seq 50); do
  ip netns exec "$CLI" bash -c "exec 3<>/dev/tcp/$SRV_IP/$PORT" 2>/dev/null && break
  sleep 0.2
done

check() { # name, condition (python expression over the variables given), values...
  local name=$1 cond=$2; shift 2
  if python3 -c "import sys; $*; sys.exit(0 if ($cond) else 1)"; then
    echo "ok      $name"; passed=$((passed + 1))
  else
    echo "FAILED  $name ($*)"; failed=$((failed + 1))
  fi
}

nb() { ip netns exec "$CLI" java -jar "$jar" client --json --warmup 1 -p $PORT "$@" $SRV_IP; }
field() { python3 -c "import json,sys; d=json.load(sys.stdin); print(d['results'][0]['$1'])"; }

fwd=$(nb --tcp-bw -t 4 | field bits_per_second)
rev=$(nb --tcp-bw -R -t 4 | field bits_per_second)
ipf=$(ip netns exec "$CLI" iperf3 -c $SRV_IP -p $IPERF_PORT -t 4 -O 1 -J | python3 -c "import json,sys; print(json.load(sys.stdin)['end']['sum_received']['bits_per_second'])")
lat=$(nb --tcp-lat -t 2 | field latency_us)
rate=$((RATE_MBIT * 1000000))
python3 -c "print('link $RATE_MBIT Mbit/s: netbench %.1f Mbit/s, reverse %.1f Mbit/s, iperf3 %.1f Mbit/s; tcp_lat %.1f us'
             % ($fwd / 1e6, $rev / 1e6, $ipf / 1e6, $lat))"

check "tcp_bw within 85-100 % of the tbf rate" "0.85 * r <= f <= 1.0 * r" "f=$fwd; r=$rate"
check "tcp_bw -R within 85-100 % of the tbf rate" "0.85 * r <= f <= 1.0 * r" "f=$rev; r=$rate"
check "netbench and iperf3 agree within 5 %" "abs(f - i) / i <= 0.05" "f=$fwd; i=$ipf"
check "tcp_lat across the link is positive and sane" "0 < l < 10000" "l=$lat"
check "server logged each test" "n >= 3" "n=$(grep -c ' event=served test=' /tmp/nbt-server-$$.log)"

echo "netns: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
