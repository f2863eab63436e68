#!/usr/bin/env bash
# qperf's and netbench's CPU figures side by side on one two-namespace path (a veth pair shaped by tbf), in
# interleaved rounds: send_cost, recv_cost (host-wide s/GB) and cpus_used at the sender and the receiver (% of one CPU; qperf's tcp_bw calls them send_/recv_cpus_used). Both
# namespaces share this host's kernel, so netbench withholds its host-wide costs as not separable and this script
# computes qperf's formula from netbench's own per-end host figures (JSON cpu.{local,remote}.host): busy CPU
# seconds (every /proc/stat column but idle) per GB each end moved. On one kernel both tools' two ends see the same
# host, so the send and recv figures nearly agree, and the agent's baseline holds the client JVM's start-up (another
# process on its host), so its net figure is low or negative here; on two nodes it is not. Needs root, iproute2, qperf.
#   ROUNDS=3 DURATION=5 RATE_MBIT=2000 bash bench/compare-cpu.sh
set -euo pipefail
cd "$(dirname "$0")/.."
jar=cli/target/netbench.jar
ROUNDS=${ROUNDS:-3} DURATION=${DURATION:-5} RATE_MBIT=${RATE_MBIT:-2000}
SRV=nbc-srv-$$ CLI=nbc-cli-$$ SRV_IP=10.238.0.1 CLI_IP=10.238.0.2
source bench/netns-pair.sh
rounds_file=$(mktemp)
trap 'netns_pair_del "$SRV" "$CLI"; rm -f "$rounds_file"' EXIT
netns_pair "$SRV" "$CLI" $SRV_IP $CLI_IP
for ns in "$SRV" "$CLI"; do
  ip netns exec "$ns" tc qdisc add dev eth0 root tbf rate ${RATE_MBIT}mbit burst 256kb latency 50ms
done
ip netns exec "$SRV" java -jar "$jar" server -p 17575 -B $SRV_IP > /dev/null 2>&1 &
ip netns exec "$SRV" qperf > /dev/null 2>&1 &
qperf_server=$!
# the qperf server serves each test in a child it reaps: the children's CPU, in clock ticks, is the parent's
# cutime + cstime (fields 16 and 17 of /proc/PID/stat)
children_ticks() { awk '{print $16 + $17}' /proc/$(pgrep -P $qperf_server qperf || echo $qperf_server)/stat; }
# the kernel's side of each run: packets the receiver sent (ACKs) per MB the sender put on the link, from the
# veth's own counters, so a difference in the tools' CPU can be told apart from a difference in what TCP did
link() { echo "$(ip netns exec "$SRV" cat /sys/class/net/eth0/statistics/tx_packets) $(ip netns exec "$CLI" cat /sys/class/net/eth0/statistics/tx_bytes)"; }
sleep 3
# one discarded run first: the fresh agent's JIT compilation would otherwise run on into qperf's first round
ip netns exec "$CLI" java -jar "$jar" client --tcp-bw -t 2 -p 17575 $SRV_IP > /dev/null
for round in $(seq "$ROUNDS"); do
  # the qperf client's own CPU (user + system seconds, /usr/bin/time), to set beside netbench's process figures
  before=$(children_ticks)
  l0=$(link)
  q=$(ip netns exec "$CLI" /usr/bin/time -f "qperf_client_cpu = %U %S %e" qperf -v -t "$DURATION" $SRV_IP tcp_bw 2>&1)
  sleep 0.2
  q="$q
qperf_server_ticks = $(( $(children_ticks) - before )) $(getconf CLK_TCK)"
  l1=$(link)
  n=$(ip netns exec "$CLI" java -jar "$jar" client --json --tcp-bw --warmup 1 -t "$DURATION" -p 17575 $SRV_IP)
  l2=$(link)
  python3 - "$round" "$q" "$n" "$l0 $l1 $l2" "$rounds_file" <<'PY'
import json, re, sys
round_, q, n = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
a0, b0, a1, b1, a2, b2 = map(int, sys.argv[4].split())
def qv(name):
    m = re.search(r"^\s*%s\s*=\s*([\d.]+)\s*(\S*)" % name, q, re.M)
    if not m:
        return float("nan")
    v, unit = float(m.group(1)), m.group(2)
    return v / 1000 if unit.startswith("ms/") else v * 1000 if unit.startswith("ks/") else v
r = n["results"][0]
loc, rem = r["cpu"]["local"], r["cpu"]["remote"]
busy = lambda c: sum(c["host"][k] for k in ("user_s", "system_s", "irq_s", "softirq_s", "steal_s", "iowait_s"))
send_gb = r["bytes_sent"] / 1e9
recv_gb = r["bytes"] / 1e9
# qperf's formula: each end's busy CPU seconds over its window per GB it moved in that window
send_cost = busy(loc) / send_gb
recv_cost = busy(rem) / recv_gb
def q_gbits():
    m = re.search(r"^\s*bw\s*=\s*([\d.]+)\s*([KMG])B/sec", q, re.M)
    return float(m.group(1)) * 8 * {"K": 1e-6, "M": 1e-3, "G": 1}[m.group(2)] if m else float("nan")
print("round %s  qperf:    bw %6.2f Gbit/s  send_cost %.3f  recv_cost %.3f s/GB  send_cpus_used %5.1f %%  recv_cpus_used %5.1f %%"
      % (round_, q_gbits(), qv("send_cost"), qv("recv_cost"), qv("send_cpus_used"), qv("recv_cpus_used")))
print("round %s  netbench: bw %6.2f Gbit/s  send_cost %.3f  recv_cost %.3f s/GB  send_cpus_used %5.1f %%  recv_cpus_used %5.1f %%  (net of baseline: %5.1f / %5.1f %%)"
      % (round_, r["bits_per_second"] / 1e9, send_cost, recv_cost, loc["host"]["cpus_used_percent"], rem["host"]["cpus_used_percent"],
         loc["host"]["cpus_used_net_percent"] or float("nan"), rem["host"]["cpus_used_net_percent"] or float("nan")))
# where the host's busy CPU went: each netbench process's own share, and the qperf client's over its whole run
m = re.search(r"qperf_client_cpu = ([\d.]+) ([\d.]+) ([\d.]+)", q)
t = re.search(r"qperf_server_ticks = (-?\d+) (\d+)", q)
elapsed = float(m.group(3)) if m else float("nan")
print("round %s  process CPU: netbench client %5.1f %%, agent %5.1f %% of one CPU; qperf client %5.1f %%, server %5.1f %% (user + system over the client's whole run)"
      % (round_, loc["process"]["cpus_used_percent"], rem["process"]["cpus_used_percent"],
         (float(m.group(1)) + float(m.group(2))) / elapsed * 100 if m else float("nan"),
         int(t.group(1)) / int(t.group(2)) / elapsed * 100 if t else float("nan")))
print("round %s  link: ACKs per MB sent, netbench %.2f, qperf %.2f (each whole run, warm-up included)"
      % (round_, (a2 - a1) / ((b2 - b1) / 1e6), (a1 - a0) / ((b1 - b0) / 1e6)))
with open(sys.argv[5], "a") as f:
    f.write(json.dumps({"qperf": [qv("send_cost"), qv("recv_cost"), qv("send_cpus_used")],
                        "netbench": [send_cost, recv_cost, loc["host"]["cpus_used_percent"]]}) + "\n")
PY
done
# the decision: each tool's median and range over the rounds, and their ratio
python3 - "$rounds_file" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
for i, name in enumerate(["send_cost s/GB", "recv_cost s/GB", "send_cpus_used %"]):
    q = [r["qperf"][i] for r in rows]
    n = [r["netbench"][i] for r in rows]
    print("%-17s qperf median %.3f (%.3f-%.3f)  netbench median %.3f (%.3f-%.3f)  netbench/qperf %.2f  ranges overlap: %s"
          % (name, statistics.median(q), min(q), max(q), statistics.median(n), min(n), max(n),
             statistics.median(n) / statistics.median(q), "yes" if min(n) <= max(q) and min(q) <= max(n) else "no"))
PY
