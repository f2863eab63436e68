#!/usr/bin/env bash
# UDP side by side on a lossy link: two network namespaces joined by a veth pair, 1 % of the server's incoming
# UDP dropped at random (iptables statistic), iperf3 -u and netbench --udp-bw at the same bit rate and datagram
# size, servers pinned to SERVER_CPU and clients to CLIENT_CPU. Prints each tool's loss beside the expected
# 1 % and its binomial error, and the ratio of the received rates. Needs root, iproute2, iptables, iperf3, java.
#
# Knobs: DURATION=10 seconds per run, ROUNDS=3, RATE=100M (both tools' -b), MSG=1400 (iperf3 -l, netbench --msg),
# DROP=0.01 (the probability of each datagram being dropped), SERVER_CPU=0, CLIENT_CPU=1.
# Exit status: 0 when every run worked (whatever the figures: this is a report), 1 when one failed, 2 when
# something needed is missing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

DURATION=${DURATION:-10} ROUNDS=${ROUNDS:-3} RATE=${RATE:-100M} MSG=${MSG:-1400} DROP=${DROP:-0.01}
SERVER_CPU=${SERVER_CPU:-0} CLIENT_CPU=${CLIENT_CPU:-1}
JAR=cli/target/netbench.jar
die() { echo "compare-udp-link.sh: $2" >&2; exit "$1"; }
[[ $(id -u) -eq 0 ]] || die 2 "needs root for network namespaces"
for tool in ip iptables iperf3 java python3 taskset; do
    command -v $tool >/dev/null || die 2 "$tool not found"
done
[[ -f $JAR ]] || die 2 "$JAR missing: build it with ./mvnw -B -DskipTests package"

SRV=nbc-srv-$$ CLI=nbc-cli-$$ SRV_IP=10.232.0.1 CLI_IP=10.232.0.2 PORT=17575 IPERF_PORT=15298
source bench/netns-pair.sh
trap 'netns_pair_del "$SRV" "$CLI"' EXIT
netns_pair "$SRV" "$CLI" $SRV_IP $CLI_IP
netns_wire_datagrams "$SRV" "$CLI" # each datagram a packet of its own, as a NIC sends them: the drop rule sees each
# rule 1 only counts what arrives; rule 2 drops: their counters are the truth both tools' loss is checked against.
# Both match data datagrams only (IP length = MSG + 28): a dropped set-up datagram (iperf3's 4-byte UDP connect
# has no retry) would fail the run, not measure loss.
DATA="-p udp -m length --length $((MSG + 28))"
ip netns exec "$SRV" iptables -A INPUT $DATA
ip netns exec "$SRV" iptables -A INPUT $DATA -m statistic --mode random --probability "$DROP" -j DROP

ip netns exec "$SRV" taskset -c "$SERVER_CPU" java -jar "$JAR" server -p $PORT -B $SRV_IP > /dev/null 2>&1 &
ip netns exec "$SRV" taskset -c "$SERVER_CPU" iperf3 -s -p $IPERF_PORT -B $SRV_IP > /dev/null 2>&1 &
for _ in $(seq 50); do
    ip netns exec "$CLI" bash -c "exec 3<>/dev/tcp/$SRV_IP/$PORT" 2>/dev/null && break
    sleep 0.2
done

in_cli() { ip netns exec "$CLI" taskset -c "$CLIENT_CPU" "$@"; }
# "arrived dropped rcvbuf_errors" so far in the server's namespace: the two rules' packet counters, and the
# datagrams the kernel dropped because the receiving socket's buffer was full
truth() {
    echo "$(ip netns exec "$SRV" iptables -nvxL INPUT | awk '$1 ~ /^[0-9]+$/ { printf "%s ", $1 }')" \
        "$(ip netns exec "$SRV" awk '$1 == "Udp:" && $2 ~ /^[0-9]+$/ { print $6 }' /proc/net/snmp)"
}
echo "link: veth between namespaces, $DROP of the server's UDP dropped at random; both tools -b $RATE, $MSG-byte datagrams, $DURATION s"
for ((r = 1; r <= ROUNDS; r++)); do
    t0=$(truth)
    ipf=$(in_cli iperf3 -c $SRV_IP -p $IPERF_PORT -u -b "$RATE" -l "$MSG" -t "$DURATION" -J) || die 1 "iperf3 failed"
    t1=$(truth)
    nb=$(in_cli java -jar "$JAR" client --udp-bw -b "$RATE" --msg "$MSG" -t "$DURATION" --warmup 1 --json -p $PORT $SRV_IP) \
        || die 1 "netbench failed"
    t2=$(truth)
    python3 - "$ipf" "$nb" "$DROP" "$r" "$t0" "$t1" "$t2" <<'PY'
import json, math, sys
t = [list(map(int, a.split())) for a in sys.argv[5:8]]
for name, a, b in (("iperf3", t[0], t[1]), ("netbench", t[1], t[2])):
    arrived, dropped, rcvbuf = (b[i] - a[i] for i in range(3))
    print("%s run, counted by the kernel: %d UDP datagrams arrived, %d dropped by the rule (%.3f %%), %d dropped for a full socket buffer"
          % (name, arrived, dropped, 100.0 * dropped / arrived, rcvbuf))
ipf_doc = json.loads(sys.argv[1])
if "error" in ipf_doc:
    sys.exit("iperf3: " + ipf_doc["error"])
e = ipf_doc["end"]
n = json.loads(sys.argv[2])["results"][0]
p = float(sys.argv[3])
ipf = (e["sum"]["packets"], e["sum"]["lost_percent"], e["sum_received"]["bits_per_second"], e["sum"]["jitter_ms"])
nb = (n["packets"], n["lost_percent"], n["bits_per_second"], n["jitter_ms"])
def err(count):  # 3 standard errors of the loss proportion, in percent
    return 300 * math.sqrt(p * (1 - p) / count)
print("round %s: loss iperf3 %.3f %% of %d, netbench %.3f %% of %d (expected %.2f +/- %.3f %%);"
      " received iperf3 %.1f Mbit/s, netbench %.1f Mbit/s (ratio %.3f); jitter iperf3 %.3f ms, netbench %.3f ms"
      % (sys.argv[4], ipf[1], ipf[0], nb[1], nb[0], 100 * p, err(min(ipf[0], nb[0])),
         ipf[2] / 1e6, nb[2] / 1e6, nb[2] / ipf[2], ipf[3], nb[3]))
combined = 300 * math.sqrt(p * (1 - p) * (1 / ipf[0] + 1 / nb[0]))
print("         loss difference %.3f %% points, within the combined 3-sigma error %.3f: %s"
      % (abs(nb[1] - ipf[1]), combined, "yes" if abs(nb[1] - ipf[1]) <= combined else "NO"))
PY
done
