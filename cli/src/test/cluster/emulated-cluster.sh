#!/usr/bin/env bash
# An emulated two-node Kubernetes cluster in network namespaces, for netbench's matrix tests.
#
#   emulated-cluster.sh up routed|vxlan   build it and start the agents (prints the peers to give `netbench matrix`)
#   emulated-cluster.sh down              remove every namespace, process and log it made
#   emulated-cluster.sh run CMD...        run CMD in the "outside" namespace (where the orchestrator runs)
#   emulated-cluster.sh kill AGENT        SIGKILL one agent (node-a, node-b, pod-a1, pod-a2, pod-b1, pod-b2)
#
# Topology (every address lives in namespaces made here; the root namespace gets no address and no route):
#   out ── 10.250.0.1/30 ─ veth ─ 10.250.0.2/30 ── node-a ══ wire 10.250.1.1/24 ─ veth ─ 10.250.1.2/24 ══ node-b
#   node-a: bridge cni0 10.244.1.1/24, pods pod-a1 10.244.1.2, pod-a2 10.244.1.3 (veth into cni0)
#   node-b: bridge cni0 10.244.2.1/24, pods pod-b1 10.244.2.2, pod-b2 10.244.2.3
# CNI modes: routed — each node routes the other's pod subnet via the other's wire address (Calico BGP, Flannel
# host-gw); vxlan — a VXLAN device (VNI 42, UDP 4789) over the wire carries pod traffic between nodes, pod MTU 1450
# (Flannel vxlan, Calico VXLAN). ClusterIP 10.96.0.10 and load balancer 10.250.9.100 are iptables DNATs in the nodes
# to the four pod agents, chosen at random per connection with -m statistic as kube-proxy's iptables mode does.
# Host agents listen on 7576 (HTTP 7581) in the node namespaces, pod agents on 7575 (HTTP 7580), all with the token
# in $STATE/token and the downward-API environment a DaemonSet would give them.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../../.." && pwd)
jar=${NETBENCH_JAR:-$root/cli/target/netbench.jar}
STATE=${NBC_STATE:-/tmp/netbench-cluster}
P=${NBC_PREFIX:-nbc}
NODES=(a b)
JAVA_OPTS=(-XX:+UseSerialGC -Xms16m -Xmx256m -XX:-UsePerfData)

ns() { echo "$P-$1"; }
nsx() { local n; n=$(ns "$1"); shift; ip netns exec "$n" "$@"; }

node_wire_ip() { [ "$1" = a ] && echo 10.250.1.1 || echo 10.250.1.2; }
node_vx_ip() { [ "$1" = a ] && echo 10.250.2.1 || echo 10.250.2.2; }
node_index() { [ "$1" = a ] && echo 1 || echo 2; }
other() { [ "$1" = a ] && echo b || echo a; }
pod_ip() { echo "10.244.$(node_index "${1:0:1}").$((${1:1:1} + 1))"; } # a1 → 10.244.1.2

down() {
  for n in out node-a node-b pod-a1 pod-a2 pod-b1 pod-b2; do
    if ip netns list | grep -qw "$(ns $n)"; then
      ip netns pids "$(ns $n)" 2>/dev/null | xargs -r kill -9 2>/dev/null || true
      ip netns del "$(ns $n)" 2>/dev/null || true
    fi
  done
  rm -rf "$STATE"
}

start_agent() { # name ns port http_port node pod_name pod_ip host_ip
  local name=$1 n=$2 port=$3 http=$4 node=$5 pod=$6 podip=$7 hostip=$8
  ip netns exec "$(ns "$n")" env NODE_NAME="$node" POD_NAME="$pod" POD_NAMESPACE=netbench POD_IP="$podip" HOST_IP="$hostip" \
    java "${JAVA_OPTS[@]}" -jar "$jar" server -p "$port" --http-port "$http" --token-file "$STATE/token" \
    > "$STATE/$name.log" 2>&1 &
  echo $! > "$STATE/$name.pid"
}

wait_agent() { # ns ip port
  for _ in $(seq 150); do
    ip netns exec "$(ns "$1")" bash -c "exec 3<>/dev/tcp/$2/$3" 2>/dev/null && return 0
    sleep 0.2
  done
  echo "emulated-cluster: agent $2:$3 did not start" >&2
  return 1
}

up() {
  local mode=$1
  case "$mode" in routed|vxlan) ;; *) echo "usage: $0 up routed|vxlan" >&2; exit 2 ;; esac
  [ -f "$jar" ] || { echo "emulated-cluster: $jar missing (build it: ./mvnw -B package -DskipTests)" >&2; exit 2; }
  down
  mkdir -p "$STATE"
  head -c 24 /dev/urandom | base64 > "$STATE/token"
  echo "$mode" > "$STATE/mode"
  for n in out node-a node-b pod-a1 pod-a2 pod-b1 pod-b2; do
    ip netns add "$(ns $n)"
    nsx $n ip link set lo up
  done
  for n in node-a node-b; do
    nsx $n sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
  done
  # outside ── node-a
  ip link add eth0 netns "$(ns out)" type veth peer name uplink netns "$(ns node-a)"
  nsx out ip addr add 10.250.0.1/30 dev eth0
  nsx out ip link set eth0 up
  nsx out ip route add default via 10.250.0.2
  nsx node-a ip addr add 10.250.0.2/30 dev uplink
  nsx node-a ip link set uplink up
  # the wire between the nodes
  ip link add wire netns "$(ns node-a)" type veth peer name wire netns "$(ns node-b)"
  local mtu=1500
  [ "$mode" = vxlan ] && mtu=1450
  for x in "${NODES[@]}"; do
    local o; o=$(other $x)
    nsx node-$x ip addr add "$(node_wire_ip $x)/24" dev wire
    nsx node-$x ip link set wire up
    nsx node-$x ip link add cni0 type bridge
    nsx node-$x ip addr add "10.244.$(node_index $x).1/24" dev cni0
    nsx node-$x ip link set cni0 mtu $mtu up
    for i in 1 2; do
      local pod=pod-$x$i
      ip link add eth0 netns "$(ns $pod)" type veth peer name veth$i netns "$(ns node-$x)"
      nsx node-$x ip link set veth$i mtu $mtu master cni0 up
      # hairpin, as kubelet's hairpin-veth mode sets it: a pod whose Service picks the pod itself gets its SYN back
      # through the port it came in by (with br_netfilter loaded, the DNAT is bridged); without it, 1 in 4 of a
      # pod's connections to the Service lost its SYN until a retransmission picked another backend
      nsx node-$x bridge link set dev veth$i hairpin on
      nsx $pod ip addr add "$(pod_ip $x$i)/24" dev eth0
      nsx $pod ip link set eth0 mtu $mtu up
      nsx $pod ip route add default via "10.244.$(node_index $x).1"
    done
    if [ "$mode" = routed ]; then
      nsx node-$x ip route add "10.244.$(node_index $o).0/24" via "$(node_wire_ip $o)"
    else
      nsx node-$x ip link add vxlan0 type vxlan id 42 local "$(node_wire_ip $x)" remote "$(node_wire_ip $o)" dstport 4789 dev wire
      nsx node-$x ip addr add "$(node_vx_ip $x)/24" dev vxlan0
      nsx node-$x ip link set vxlan0 mtu 1450 up
      nsx node-$x ip route add "10.244.$(node_index $o).0/24" via "$(node_vx_ip $o)" dev vxlan0
    fi
  done
  nsx node-b ip route add 10.250.0.0/30 via 10.250.1.1
  # kube-proxy: ClusterIP on every node, the load balancer's address on node-a (where outside traffic enters)
  local pods=(10.244.1.2 10.244.1.3 10.244.2.2 10.244.2.3)
  for x in "${NODES[@]}"; do
    for vip in 10.96.0.10 10.250.9.100; do
      [ "$vip" = 10.250.9.100 ] && [ "$x" = b ] && continue
      for proto_port in tcp:7575:7575 udp:7575:7575 tcp:7580:7580; do
        IFS=: read -r proto port target <<< "$proto_port"
        local left=${#pods[@]}
        for p in "${pods[@]}"; do
          local match=()
          [ "$left" -gt 1 ] && match=(-m statistic --mode random --probability "$(python3 -c "print(1/$left)")")
          nsx node-$x iptables -t nat -A PREROUTING -d $vip -p "$proto" --dport "$port" "${match[@]}" -j DNAT --to-destination "$p:$target"
          left=$((left - 1))
        done
      done
    done
    # replies must come back through the node that translated: masquerade what was DNATed (kube-proxy's hairpin rule),
    # with fully random source ports as kube-proxy asks for: a reused port can land a SYN on a backend's TIME_WAIT
    nsx node-$x iptables -t nat -A POSTROUTING -m conntrack --ctstate DNAT -j MASQUERADE --random-fully
  done
  # the agents: a host-network agent per node, a pod agent per pod
  for x in "${NODES[@]}"; do
    local hostip; hostip=$(node_wire_ip $x)
    start_agent node-$x node-$x 7576 7581 "node-$x" "netbench-host-$(echo "$x" | md5sum | head -c 5)" "$hostip" "$hostip"
    for i in 1 2; do
      # pod names say nothing about the node: the matrix must classify from identities, not names
      start_agent pod-$x$i pod-$x$i 7575 7580 "node-$x" "netbench-pod-$(echo "$x$i" | md5sum | head -c 5)" \
        "$(pod_ip $x$i)" "$hostip"
    done
  done
  for x in "${NODES[@]}"; do
    wait_agent out "$(node_wire_ip $x)" 7576
    for i in 1 2; do wait_agent out "$(pod_ip $x$i)" 7575; done
  done
  # a hosts file for discovery by name, as the headless Services' DNS records would answer
  {
    for p in "${pods[@]}"; do echo "$p netbench-pod.netbench.svc"; done
    echo "10.250.1.1 netbench-host.netbench.svc"
    echo "10.250.1.2 netbench-host.netbench.svc"
  } > "$STATE/hosts"
  echo "emulated cluster up ($mode): pods ${pods[*]} (7575), hosts 10.250.1.1 10.250.1.2 (7576), service 10.96.0.10, load balancer 10.250.9.100"
}

case "${1:-}" in
  up) up "${2:-}" ;;
  down) down ;;
  run) shift; nsx out "$@" ;;
  kill) kill -9 "$(cat "$STATE/$2.pid")" ;;
  *) echo "usage: $0 up routed|vxlan | down | run CMD... | kill AGENT" >&2; exit 2 ;;
esac
