#!/usr/bin/env bash
# The path's MTU against a known one: a client and an agent in network namespaces, both interfaces at MTU 1500,
# joined through a router namespace whose link toward the agent has MTU 1400 (an overlay's 100 bytes, say). The
# router cannot forward a 1500-byte packet with Don't Fragment set; what `netbench client --mtu` must report:
#   - the router's ICMP "fragmentation needed" dropped (iptables): a black hole. path_mtu 1400 exactly, limit
#     black_hole, black_hole 1401 (the smallest packet lost every time), interface_mtu 1500 at both ends;
#   - the ICMP let through: path_mtu 1400, limit icmp, no black hole (the router's ICMP rate limit is lifted, or
#     the kernel's 1-per-second-per-host limit would silence most of the search's answers);
#   - the client's interface set to 1400, as a CNI that knows the overlay does: path_mtu 1400, limit interface,
#     interface_mtu 1400 locally, no black hole;
#   - TCP's view (TCP_INFO of a connection to the agent) beside each: pmtu 1500 and snd_mss 1448 in the black hole
#     (TCP would stall), 1400 and 1348 once ICMP taught the kernel, 1400 with the right MTU;
#   - over IPv6 on the same links (header 48 bytes): the black hole at 1401 and path_mtu 1400 again.
# Needs root, iproute2, iptables and python3. Prints "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
jar=cli/target/netbench.jar
[ -f "$jar" ] || { echo "mtu-test: $jar missing (run ./mvnw -B package first)" >&2; exit 2; }
CLI=nbm-cli-$$ RTR=nbm-rtr-$$ SRV=nbm-srv-$$
CLI_IP=10.234.1.2 SRV_IP=10.234.2.2 PORT=17577
CLI_IP6=fd34:1::2 RTR1_IP6=fd34:1::1 RTR2_IP6=fd34:2::1 SRV_IP6=fd34:2::2
passed=0 failed=0
source .ci/check.sh

source bench/netns-routed.sh
trap 'netns_routed_del "$CLI" "$RTR" "$SRV"; rm -f /tmp/nbm-$$.json' EXIT
netns_routed "$CLI" "$RTR" "$SRV" $CLI_IP $SRV_IP
ip -n "$RTR" link set vsrv mtu 1400 # the agent's end of that link says 1500: only the router knows
ip -n "$CLI" addr add $CLI_IP6/64 dev eth0 nodad
ip -n "$RTR" addr add $RTR1_IP6/64 dev vcli nodad
ip -n "$RTR" addr add $RTR2_IP6/64 dev vsrv nodad
ip -n "$SRV" addr add $SRV_IP6/64 dev eth0 nodad
ip -n "$CLI" -6 route add default via $RTR1_IP6
ip -n "$SRV" -6 route add default via $RTR2_IP6
ip netns exec "$RTR" sysctl -q -w net.ipv6.conf.all.forwarding=1 net.ipv4.icmp_ratelimit=0 net.ipv6.icmp.ratelimit=0

ip netns exec "$SRV" timeout 300 java -jar "$jar" server -p $PORT > /tmp/nbm-server-$$.log 2>&1 &
for _ in $(seq 100); do
  ip netns exec "$CLI" bash -c "exec 3<>/dev/tcp/$SRV_IP/$PORT" 2>/dev/null && break
  sleep 0.2
done

# path_mtu limit black_hole local_mtu remote_mtu probes lost tcp_snd_mss tcp_pmtu
mtu() {
  ip netns exec "$CLI" timeout 120 java -jar "$jar" client --mtu --json -q -p $PORT "$1" > /tmp/nbm-$$.json
  python3 - /tmp/nbm-$$.json <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))['results'][0]
print(r['path_mtu'], r['limit'], r['black_hole'], r['interface_mtu']['local'], r['interface_mtu']['remote'], r['probes'], r['lost_probes'],
      r['tcp_snd_mss'], r['tcp_pmtu'])
PY
}
# what a user reads: the text of one more run
text() { ip netns exec "$CLI" timeout 120 java -jar "$jar" client --mtu -q -p $PORT "$1" | sed -n '/^mtu:/,$p' | grep -v '_cpus_used'; }
report() { echo "$1: path_mtu $2, limit $3, black_hole $4, interface_mtu local $5 remote $6, $7 probes ($8 lost); TCP snd_mss $9, pmtu ${10}"; }

drop_icmp() { # the router's "fragmentation needed" / "packet too big", both families
  ip netns exec "$RTR" iptables -A OUTPUT -p icmp --icmp-type fragmentation-needed -j DROP
  ip netns exec "$RTR" ip6tables -A OUTPUT -p icmpv6 --icmpv6-type packet-too-big -j DROP
}
allow_icmp() {
  ip netns exec "$RTR" iptables -F OUTPUT
  ip netns exec "$RTR" ip6tables -F OUTPUT
}

drop_icmp
read -r path limit hole lmtu rmtu probes lost mss pmtu < <(mtu $SRV_IP)
report "IPv4, ICMP dropped" "$path" "$limit" "$hole" "$lmtu" "$rmtu" "$probes" "$lost" "$mss" "$pmtu"
check "black hole: path_mtu is the router's link's 1400" "p == 1400" "p=$path"
check "black hole: said so, from 1401 bytes" "l == 'black_hole' and h == 1401" "l='$limit'; h=$hole"
check "black hole: both interfaces say 1500" "a == 1500 and b == 1500" "a=$lmtu; b=$rmtu"
text $SRV_IP
check "black hole: TCP knows nothing of it (pmtu 1500, snd_mss 1448: its full segments would stall)" "p == 1500 and m == 1448" \
  "p=$pmtu; m=$mss"

read -r path limit hole lmtu rmtu probes lost mss pmtu < <(mtu $SRV_IP6)
report "IPv6, ICMPv6 dropped" "$path" "$limit" "$hole" "$lmtu" "$rmtu" "$probes" "$lost" "$mss" "$pmtu"
check "IPv6 black hole: path_mtu 1400, from 1401" "p == 1400 and l == 'black_hole' and h == 1401" "p=$path; l='$limit'; h=$hole"

allow_icmp
read -r path limit hole lmtu rmtu probes lost mss pmtu < <(mtu $SRV_IP)
report "IPv4, ICMP let through" "$path" "$limit" "$hole" "$lmtu" "$rmtu" "$probes" "$lost" "$mss" "$pmtu"
check "ICMP through: path_mtu 1400, refused by ICMP, no black hole" "p == 1400 and l == 'icmp' and h == 'None'" \
  "p=$path; l='$limit'; h='$hole'"
check "ICMP through: TCP learned it from the probes' ICMP (pmtu 1400, snd_mss 1348)" "p == 1400 and m == 1348" "p=$pmtu; m=$mss"

drop_icmp
ip -n "$CLI" link set eth0 mtu 1400
ip -n "$RTR" link set vcli mtu 1400
read -r path limit hole lmtu rmtu probes lost mss pmtu < <(mtu $SRV_IP)
report "IPv4, the client's interface at 1400" "$path" "$limit" "$hole" "$lmtu" "$rmtu" "$probes" "$lost" "$mss" "$pmtu"
check "the right MTU: path_mtu 1400, the interface's, no black hole" "p == 1400 and l == 'interface' and h == 'None'" \
  "p=$path; l='$limit'; h='$hole'"
check "the right MTU: local interface 1400, remote 1500" "a == 1400 and b == 1500" "a=$lmtu; b=$rmtu"
check "the right MTU: TCP's segments fit (pmtu 1400)" "p == 1400" "p=$pmtu"
text $SRV_IP

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
