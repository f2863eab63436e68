# Sourced by bench/netns-delay.sh and .ci/mtu-test.sh: two hosts in network namespaces joined through a third, a
# router. Needs root and iproute2.
#   netns_routed CLI RTR SRV CLI_IP SRV_IP
#       CLI at CLI_IP/24 and SRV at SRV_IP/24, in two different /24s whose .1 is the router; each host's eth0 is a
#       veth to the router (vcli, vsrv there), its default route through it; the router forwards IPv4
#   netns_routed_del CLI RTR SRV   kill what runs in the three, remove them (safe to call twice, or before creation)

netns_routed() {
  local cli=$1 rtr=$2 srv=$3 cli_ip=$4 srv_ip=$5 ns
  local cli_gw=${cli_ip%.*}.1 srv_gw=${srv_ip%.*}.1
  for ns in "$cli" "$rtr" "$srv"; do
    ip netns add "$ns"
    ip -n "$ns" link set lo up
  done
  ip link add eth0 netns "$cli" type veth peer name vcli netns "$rtr"
  ip link add eth0 netns "$srv" type veth peer name vsrv netns "$rtr"
  ip -n "$cli" addr add "$cli_ip/24" dev eth0
  ip -n "$srv" addr add "$srv_ip/24" dev eth0
  ip -n "$rtr" addr add "$cli_gw/24" dev vcli
  ip -n "$rtr" addr add "$srv_gw/24" dev vsrv
  for ns in "$cli" "$srv"; do ip -n "$ns" link set eth0 up; done
  ip -n "$rtr" link set vcli up
  ip -n "$rtr" link set vsrv up
  ip -n "$cli" route add default via "$cli_gw"
  ip -n "$srv" route add default via "$srv_gw"
  ip netns exec "$rtr" sysctl -q -w net.ipv4.ip_forward=1
}

netns_routed_del() {
  local ns
  for ns in "$@"; do
    ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null || true
  done
  for ns in "$@"; do
    ip netns del "$ns" 2>/dev/null || true
  done
}
