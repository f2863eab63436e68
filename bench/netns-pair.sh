# Sourced by .ci/netns-test.sh and bench/compare-udp-link.sh: two network namespaces joined by a veth pair.
#   netns_pair SRV CLI SRV_IP CLI_IP   create both, the link named eth0 in each with a /24 address, lo and link up
#   netns_pair_del SRV CLI             kill what runs in SRV, remove both (safe to call twice, or before creation)
#   netns_wire_datagrams NS...         each namespace's eth0 sends every datagram of a UDP GSO batch as a packet of its own

netns_pair() {
  local srv=$1 cli=$2 srv_ip=$3 cli_ip=$4 ns
  ip netns add "$srv"
  ip netns add "$cli"
  ip link add eth0 netns "$srv" type veth peer name eth0 netns "$cli"
  ip -n "$srv" addr add "$srv_ip/24" dev eth0
  ip -n "$cli" addr add "$cli_ip/24" dev eth0
  for ns in "$srv" "$cli"; do
    ip -n "$ns" link set lo up
    ip -n "$ns" link set eth0 up
  done
}

netns_pair_del() {
  ip netns pids "$1" 2>/dev/null | xargs -r kill 2>/dev/null || true
  ip netns del "$1" 2>/dev/null || true
  ip netns del "$2" 2>/dev/null || true
}

# A NIC puts each datagram of a GSO batch on the wire as a packet of its own; a veth hands the batch to its peer
# whole, so a rule that drops or counts packets (iptables statistic, a length match) would see a batch as one. With
# at most one segment per packet, the kernel cuts batches into datagrams before they leave eth0, as a NIC does.
netns_wire_datagrams() {
  local ns
  for ns in "$@"; do
    ip -n "$ns" link set eth0 gso_max_segs 1
  done
}
