#!/usr/bin/env bash
# Two emulated hosts in network namespaces joined by a veth pair, with the link rate set by a tbf qdisc on each
# side. Checks that netbench measures a known truth: tcp_bw forward and reverse land just under the configured
# rate (TCP/IP and Ethernet headers take ~4.4 % of a 1514-byte frame), agree with iperf3 on the same path, and
# that tcp_lat works across the link. Then UDP: udp_bw above the link rate reports the link rate; with 1 % of the
# server's incoming UDP dropped (iptables statistic), udp_bw and iperf3 -u report 1 % loss within the binomial
# error; and through an emulated Service (a DNAT to two agents chosen at random per 5-tuple, as kube-proxy's
# iptables mode does) every UDP test completes on one backend. TCP retransmits (the sender's TCP_INFO): none on
# the clean link, and as many as the kernel dropped with 1 % of the data segments dropped, either direction.
# Needs root, iproute2, iptables and iperf3.
# Prints "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
jar=cli/target/netbench.jar
[ -f "$jar" ] || { echo "netns-test: $jar missing (run ./mvnw -B verify first)" >&2; exit 2; }
RATE_MBIT=${RATE_MBIT:-200}
SRV=nbt-srv-$$ CLI=nbt-cli-$$
SRV_IP=10.231.0.1 CLI_IP=10.231.0.2 SRV2_IP=10.231.0.3 SVC_IP=10.231.0.100 PORT=17575 IPERF_PORT=15299
passed=0 failed=0

source bench/netns-pair.sh
trap 'netns_pair_del "$SRV" "$CLI"' EXIT
netns_pair "$SRV" "$CLI" $SRV_IP $CLI_IP
ip -n "$SRV" addr add $SRV2_IP/24 dev eth0
for ns in "$SRV" "$CLI"; do
  ip netns exec "$ns" tc qdisc add dev eth0 root tbf rate ${RATE_MBIT}mbit burst 64kb latency 50ms
done

ip netns exec "$SRV" java -jar "$jar" server -p $PORT -B $SRV_IP > /tmp/nbt-server-$$.log 2>&1 &
# the second backend of the emulated Service, on the same port of another address
ip netns exec "$SRV" java -jar "$jar" server -p $PORT --http-port 17581 -B $SRV2_IP > /tmp/nbt-server2-$$.log 2>&1 &
ip netns exec "$SRV" iperf3 -s -p $IPERF_PORT -B $SRV_IP > /dev/null 2>&1 &
for ip in $SRV_IP $SRV2_IP; do
  for _ in $(seq 50); do
    ip netns exec "$CLI" bash -c "exec 3<>/dev/tcp/$ip/$PORT" 2>/dev/null && break
    sleep 0.2
  done
done

check() { # name, condition (python expression over the variables given), values...
  local name=$1 cond=$2; shift 2
  if python3 -c "import sys; $*; sys.exit(0 if ($cond) else 1)"; then
    echo "ok      $name"; passed=$((passed + 1))
  else
    echo "FAILED  $name ($*)"; failed=$((failed + 1))
  fi
}

nb_to() { local host=$1; shift; ip netns exec "$CLI" java -jar "$jar" client --json --warmup "${WARMUP:-1}" -p $PORT "$@" "$host"; }
nb() { nb_to $SRV_IP "$@"; }
field() { python3 -c "import json,sys; d=json.load(sys.stdin); print(d['results'][0]['$1'])"; }
fields() { python3 -c "import json,sys; r=json.load(sys.stdin)['results'][0]; print(' '.join(str(r[k]) for k in sys.argv[1:]))" "$@"; }

read -r fwd fwd_retr < <(nb --tcp-bw -t 4 | fields bits_per_second retransmits)
read -r rev rev_retr < <(nb --tcp-bw -R -t 4 | fields bits_per_second retransmits)
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

# ---- TCP retransmits -------------------------------------------------------------------------------------
# The sender's retransmits over the window (iperf3's Retr): none on the clean link above. Then 1 % of the data
# segments arriving at the receiver dropped at random (only packets of 1000 bytes or more: not ACKs, not the
# handshake or control frames), client sending and then the agent (-R). No warm-up, so the window is the whole
# connection (but its last round trip) and the kernel's count of drops compares with it. That count is the DROP
# rule's: veth hands the receiver GRO aggregates of 1-3 segments, so its packets undercount segments (measured
# 1.4-1.9 segments a packet); its bytes ÷ the 1500-byte frame count them (measured retransmits ÷ that: 0.96-1.02).
# A dropped segment is retransmitted once (a dropped retransmission is a second drop and a second retransmit);
# the 0.8-1.25x bounds leave room for drops in the last round trip, retransmitted after END, and for spurious
# (tail-loss-probe, timeout) retransmits.
echo "tcp retransmits on the clean link: forward $fwd_retr, reverse $rev_retr"
check "tcp_bw on the clean link: no retransmits" "f == 0" "f=$fwd_retr"
check "tcp_bw -R on the clean link: no retransmits (the agent's, from its RESULT)" "r == 0" "r=$rev_retr"
P=0.01
for dir in forward reverse; do
  if [ $dir = forward ]; then ns=$SRV match="--dport $PORT" rflag=""; else ns=$CLI match="--sport $PORT" rflag="-R"; fi
  TCP_DROP="INPUT -p tcp $match -m length --length 1000:65535 -m statistic --mode random --probability $P -j DROP"
  ip netns exec "$ns" iptables -A $TCP_DROP
  read -r retr mss bps < <(WARMUP=0 nb --tcp-bw $rflag -t 4 | python3 -c "
import json,sys; r=json.load(sys.stdin)['results'][0]; print(r['retransmits'], r['tcp_info']['snd_mss'], r['bits_per_second'])")
  read -r dpkts dbytes < <(ip netns exec "$ns" iptables -nvxL INPUT | awk '$3 == "DROP" && /statistic/ {print $1, $2}')
  ip netns exec "$ns" iptables -D $TCP_DROP
  python3 -c "print('tcp_bw $dir, $P of data dropped: %.1f Mbit/s, retransmits %d; kernel dropped %d packets, %d bytes = %.0f segments of %d + 52 (retransmits / segments %.3f, / packets %.2f)'
               % ($bps / 1e6, $retr, $dpkts, $dbytes, $dbytes / ($mss + 52), $mss, $retr * ($mss + 52) / $dbytes, $retr / $dpkts))"
  check "tcp_bw $dir with $P of data segments dropped: retransmits 0.8-1.25x the segments the kernel dropped" \
    "p > 0 and 0.8 <= r / (b / (m + 52)) <= 1.25" "r=$retr; p=$dpkts; b=$dbytes; m=$mss"
done

# ---- UDP -------------------------------------------------------------------------------------------------
# udp_bw above the link rate: the received rate is the link's, in UDP payload (1400 of each 1442-byte frame)
read -r recv send < <(nb --udp-bw -b $((RATE_MBIT * 3 / 2))M -t 4 | fields bits_per_second send_bits_per_second)
udp_expect=$(python3 -c "print($RATE_MBIT * 1e6 * 1400 / 1442)")
python3 -c "print('udp_bw at 1.5x the link: sent %.1f Mbit/s, received %.1f Mbit/s (expected %.1f)' % ($send / 1e6, $recv / 1e6, $udp_expect / 1e6))"
check "udp_bw above the tbf rate receives the link rate (within 5 %)" "abs(r - e) / e <= 0.05" "r=$recv; e=$udp_expect"

# 1 % of the server's incoming UDP dropped at random; both tools at 100 Mbit/s of 1400-byte datagrams
# Only data datagrams (IP length 1428) are dropped: iperf3's 4-byte UDP connect has no retry, and losing it
# would fail the run instead of measuring loss.
P=0.01
DROP_RULE="INPUT -p udp -m length --length 1428 -m statistic --mode random --probability $P -j DROP"
ip netns exec "$SRV" iptables -A $DROP_RULE
read -r nb_sent nb_lost nb_loss nb_recv < <(nb --udp-bw -b 100M -t 5 | fields packets lost_packets lost_percent bits_per_second)
ipf_json=$(ip netns exec "$CLI" iperf3 -c $SRV_IP -p $IPERF_PORT -u -b 100M -l 1400 -t 5 -J)
read -r ipf_sent ipf_lost ipf_loss ipf_recv < <(echo "$ipf_json" | python3 -c "
import json,sys; e=json.load(sys.stdin)['end']; s=e['sum']; print(s['packets'], s['lost_packets'], s['lost_percent'], e['sum_received']['bits_per_second'])")
ip netns exec "$SRV" iptables -D $DROP_RULE
# 3 standard errors of a binomial proportion, in percent, for each tool's own sample size
python3 -c "
import math
for name, n, loss, recv in (('netbench', $nb_sent, $nb_loss, $nb_recv), ('iperf3', $ipf_sent, $ipf_loss, $ipf_recv)):
    print('%-8s 1 %% drop: %d datagrams, lost %.3f %% (expected 1 +/- %.3f %%), %.1f Mbit/s' % (name, n, loss, 300 * math.sqrt($P * (1 - $P) / n), recv / 1e6))"
check "netbench udp_bw loss is 1 % within 3 binomial standard errors" "abs(l / 100 - p) <= 3 * (p * (1 - p) / n) ** 0.5" "l=$nb_loss; p=$P; n=$nb_sent"
check "iperf3 -u loss is 1 % within 3 binomial standard errors" "abs(l / 100 - p) <= 3 * (p * (1 - p) / n) ** 0.5" "l=$ipf_loss; p=$P; n=$ipf_sent"
check "netbench and iperf3 agree on the loss within their combined error" "abs(a - b) / 100 <= 3 * (p * (1 - p) * (1 / n + 1 / m)) ** 0.5" "a=$nb_loss; b=$ipf_loss; p=$P; n=$nb_sent; m=$ipf_sent"
check "netbench and iperf3 agree on the received rate within 3 %" "abs(a - b) / b <= 0.03" "a=$nb_recv; b=$ipf_recv"

# an emulated Service: new 5-tuples to SVC_IP go to either agent at random (kube-proxy iptables mode)
for proto in tcp udp; do
  ip netns exec "$CLI" iptables -t nat -A OUTPUT -d $SVC_IP -p $proto --dport $PORT -m statistic --mode random --probability 0.5 -j DNAT --to-destination $SRV_IP
  ip netns exec "$CLI" iptables -t nat -A OUTPUT -d $SVC_IP -p $proto --dport $PORT -j DNAT --to-destination $SRV2_IP
done
svc_ok=0
for i in 1 2 3; do
  nb_to $SVC_IP --udp-bw -b 20M -P 4 -t 1 > /dev/null && svc_ok=$((svc_ok + 1))
  nb_to $SVC_IP --udp-bw -R -b 20M -P 4 -t 1 > /dev/null && svc_ok=$((svc_ok + 1))
  nb_to $SVC_IP --udp-lat -P 4 -t 1 > /dev/null && svc_ok=$((svc_ok + 1))
done
check "every UDP test through the Service completed" "ok == 9" "ok=$svc_ok"
check "the Service spread the tests over both agents" "a > 0 and b > 0" \
  "a=$(grep -c ' event=served test=udp' /tmp/nbt-server-$$.log); b=$(grep -c 'event=served test=udp' /tmp/nbt-server2-$$.log)"

echo "netns: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
