# Sourced by .ci/delay-test.sh (and usable by bench scripts): two hosts in network namespaces joined through a
# third, a router that holds every packet a fixed time in each direction (bench/delay-router.py on a TUN device),
# since this kernel has no netem. Needs root, iproute2 and python3.
#   netns_delay CLI RTR SRV CLI_IP SRV_IP DELAY_MS
#       CLI at CLI_IP/24 and SRV at SRV_IP/24, in two different /24s whose .1 is the router; each host's eth0 is
#       a veth to the router, and the router sends all it receives from either into tun0, where the delay is
#   netns_delay_del CLI RTR SRV   kill what runs in the three, remove them (safe to call twice, or before creation)

netns_delay() {
  local cli=$1 rtr=$2 srv=$3 cli_ip=$4 srv_ip=$5 delay_ms=$6 ns
  local cli_gw=${cli_ip%.*}.1 srv_gw=${srv_ip%.*}.1
  local here
  here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
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
  # forward, and accept packets that re-enter from tun0 with a source that routes back out another link
  ip netns exec "$rtr" sysctl -q -w net.ipv4.ip_forward=1 net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
  ip netns exec "$rtr" python3 "$here/delay-router.py" tun0 "$delay_ms" > "/tmp/$rtr-router.log" 2>&1 &
  for _ in $(seq 50); do ip -n "$rtr" link show tun0 > /dev/null 2>&1 && break; sleep 0.1; done
  ip netns exec "$rtr" sysctl -q -w net.ipv4.conf.tun0.rp_filter=0
  ip -n "$rtr" link set tun0 up
  # what arrives from a host goes into the TUN; what the router writes back comes in on tun0 and takes the main table
  ip -n "$rtr" route add default dev tun0 table 100
  ip -n "$rtr" rule add iif vcli lookup 100
  ip -n "$rtr" rule add iif vsrv lookup 100
  # no ICMP redirects: the router must stay in the path
  ip netns exec "$rtr" sysctl -q -w net.ipv4.conf.all.send_redirects=0 net.ipv4.conf.vcli.send_redirects=0 net.ipv4.conf.vsrv.send_redirects=0
}

netns_delay_del() {
  local ns
  for ns in "$@"; do
    ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null || true
  done
  for ns in "$@"; do
    ip netns del "$ns" 2>/dev/null || true
  done
}
