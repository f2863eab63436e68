# Sourced by .ci/delay-test.sh (and usable by bench scripts): two hosts in network namespaces joined through a
# third, a router that holds every packet a fixed time in each direction (bench/delay-router.py on a TUN device),
# since this kernel has no netem. Needs root, iproute2 and python3.
#   netns_delay CLI RTR SRV CLI_IP SRV_IP DELAY_MS
#       CLI at CLI_IP/24 and SRV at SRV_IP/24, in two different /24s whose .1 is the router; each host's eth0 is
#       a veth to the router, and the router sends all it receives from either into tun0, where the delay is
#   netns_routed_del CLI RTR SRV  (bench/netns-routed.sh) kills what runs in the three and removes them

source "$(dirname "${BASH_SOURCE[0]}")/netns-routed.sh"

netns_delay() {
  local cli=$1 rtr=$2 srv=$3 cli_ip=$4 srv_ip=$5 delay_ms=$6
  local here
  here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
  netns_routed "$cli" "$rtr" "$srv" "$cli_ip" "$srv_ip"
  # forward, and accept packets that re-enter from tun0 with a source that routes back out another link
  ip netns exec "$rtr" sysctl -q -w net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
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
