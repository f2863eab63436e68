#!/usr/bin/env bash
# UDP's loss-free rate side by side: netbench --udp-bw and iperf3 -u at the same ladder of bit rates, each rate run
# by both tools in turn (iperf3 first, then netbench), on loopback and across two network namespaces joined by a
# veth pair, servers pinned to SERVER_CPU and clients to CLIENT_CPU. A rate passes when the loss is below 0.1 % and
# the receiver got at least 95 % of the asked rate; a tool leaves the ladder after two failed rates in a row.
# Prints, per path, datagram size and stream count, each tool's highest passing rate (Gbit/s and datagrams/s),
# netbench's ratio to iperf3, and each tool's client and server process CPU (% of one CPU) at that rate.
# Needs root (namespaces), iproute2, iperf3, python3, taskset and a built cli/target/netbench.jar.
#
#   DURATION=10 PATHS="loopback netns" SIZES="1400 64" STREAMS="1 4" bash bench/compare-udp-rate.sh
#
# The ladders are total rates over the streams (both tools' -b is per stream: each gets rate / streams):
# LADDER_1400 in Mbit/s of 1400-byte payload, LADDER_64 in Mbit/s of 64-byte payload (256M = 500 k datagrams/s).
# NETBENCH_FLAGS are added to netbench's client (--no-gsro: one datagram per send, as iperf3 3.12); JAR picks the
# netbench to run (another build, for a before/after).
# Exit status: 0 when the runs worked (whatever the figures: this is a report), 2 when something needed is missing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

DURATION=${DURATION:-10} PATHS=${PATHS:-"loopback netns"} SIZES=${SIZES:-"1400 64"} STREAMS=${STREAMS:-"1 4"}
SERVER_CPU=${SERVER_CPU:-0} CLIENT_CPU=${CLIENT_CPU:-1}
LADDER_1400=${LADDER_1400:-"100 250 500 1000 2000 4000 6000 8000 10000 12000 16000 20000 24000"}
LADDER_64=${LADDER_64:-"16 32 64 128 192 256 384 512 768 1024 1536 2048"}
JAR=${JAR:-cli/target/netbench.jar} NETBENCH_FLAGS=${NETBENCH_FLAGS:-}
NB_PORT=17591 IPERF_PORT=15291
die() { echo "compare-udp-rate.sh: $2" >&2; exit "$1"; }
for tool in ip iperf3 java python3 taskset; do
    command -v $tool >/dev/null || die 2 "$tool not found"
done
[[ -f $JAR ]] || die 2 "$JAR missing: build it with ./mvnw -B -DskipTests package"

SRV=nbr-srv-$$ CLI=nbr-cli-$$ SRV_IP=10.234.0.1 CLI_IP=10.234.0.2
source bench/netns-pair.sh
out=$(mktemp -d)
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; netns_pair_del "$SRV" "$CLI"; rm -rf "$out"; }
trap cleanup EXIT

# one run of a tool: prints "received_bits_per_second lost_percent client_cpu server_cpu", or "fail"
run_iperf3() { # host rate_per_stream size streams
    local json
    json=$(in_cli iperf3 -c "$1" -p $IPERF_PORT -u -b "$2" -l "$3" -P "$4" -t "$DURATION" -O 1 -J 2>/dev/null) || { echo fail; return; }
    python3 -c "
import json, sys
e = json.loads(sys.argv[1])['end']
c = e['cpu_utilization_percent']
print(e['sum_received']['bits_per_second'], e['sum']['lost_percent'], c['host_total'], c['remote_total'])" "$json" 2>/dev/null || echo fail
}
run_netbench() {
    local json
    json=$(in_cli java -jar "$JAR" client --udp-bw -b "$2" --msg "$3" -P "$4" -t "$DURATION" --warmup 1 --json -p $NB_PORT $NETBENCH_FLAGS "$1" 2>/dev/null) \
        || { echo fail; return; }
    python3 -c "
import json, sys
r = json.loads(sys.argv[1])['results'][0]
c = r['cpu']
print(r['bits_per_second'], r['lost_percent'], c['local']['process']['cpus_used_percent'], c['remote']['process']['cpus_used_percent'])" "$json" 2>/dev/null \
        || echo fail
}

for path in $PATHS; do
    if [[ $path == netns ]]; then
        [[ $(id -u) -eq 0 ]] || die 2 "the netns path needs root"
        netns_pair "$SRV" "$CLI" $SRV_IP $CLI_IP
        host=$SRV_IP
        # exec: a server started in the background is then the process whose pid is kept, which the cleanup kills
        in_srv() { exec ip netns exec "$SRV" taskset -c "$SERVER_CPU" "$@"; }
        in_cli() { ip netns exec "$CLI" taskset -c "$CLIENT_CPU" "$@"; }
    else
        host=127.0.0.1
        in_srv() { exec taskset -c "$SERVER_CPU" "$@"; }
        in_cli() { taskset -c "$CLIENT_CPU" "$@"; }
    fi
    in_srv java -jar "$JAR" server -p $NB_PORT --http-port $((NB_PORT + 1)) -B $host > /dev/null 2>&1 & pids+=($!)
    in_srv iperf3 -s -p $IPERF_PORT -B $host > /dev/null 2>&1 & pids+=($!)
    sleep 3
    # a discarded run: the fresh agent's JIT compilation would otherwise fall into the first step
    run_netbench $host 1G 1400 1 > /dev/null
    for size in $SIZES; do
        ladder_var=LADDER_$size
        ladder=${!ladder_var:-$LADDER_1400}
        for streams in $STREAMS; do
            declare -A fails=([iperf3]=0 [netbench]=0)
            for mbit in $ladder; do
                for tool in iperf3 netbench; do
                    (( fails[$tool] < 2 )) || continue
                    per=$(( mbit * 1000000 / streams ))
                    res=$(run_$tool $host $per $size $streams)
                    verdict=fail
                    if [[ $res != fail ]] && python3 -c "
import sys
recv, loss = float(sys.argv[1]), float(sys.argv[2])
sys.exit(0 if loss < 0.1 and recv >= 0.95 * float(sys.argv[3]) else 1)" ${res% * *} $(( mbit * 1000000 )); then
                        verdict=pass
                        fails[$tool]=0
                    else
                        fails[$tool]=$(( fails[$tool] + 1 ))
                    fi
                    echo "$path $size $streams $tool $mbit $verdict $res" | tee -a "$out/raw" >&2
                done
                (( fails[iperf3] < 2 || fails[netbench] < 2 )) || break
            done
        done
    done
    kill "${pids[@]}" 2>/dev/null || true
    wait 2>/dev/null || true
    pids=()
done

python3 - "$out/raw" "$DURATION" "$SERVER_CPU" "$CLIENT_CPU" <<'PY'
import sys
best, top, failed_above = {}, {}, set()
for line in open(sys.argv[1]):
    f = line.split()
    path, size, streams, tool, mbit, verdict = f[:6]
    key, mbit = (path, int(size), int(streams)), int(mbit)
    top[key] = max(top.get(key, 0), mbit)
    if verdict != "pass":
        failed_above.add((key, tool))
        continue
    recv, loss, ccpu, scpu = map(float, f[6:10])
    if mbit > best.get((key, tool), (0,))[0]:
        best[(key, tool)] = (mbit, recv, loss, ccpu, scpu)
print(f"\nUDP loss-free rate (loss < 0.1 %, >= 95 % of the asked rate received), {sys.argv[2]} s per step, "
      f"servers on CPU {sys.argv[3]}, clients on CPU {sys.argv[4]}")
print("rate: received at the highest passing step ('>=': the ladder's top, no step failed); cpu: process, % of one CPU, client/server")
head = f"{'Gbit/s':>9} {'kpps':>6} {'cpu':>7}"
print(f"{'path':9} {'size':>5} {'P':>2} | {'iperf3':^24} | {'netbench':^24} | ratio")
print(f"{'':9} {'':>5} {'':>2} | {head} | {head} |")
for key in sorted(top, key=lambda k: (k[0] != "loopback", k[0], -k[1], k[2])):
    path, size, streams = key
    cells = []
    for tool in ("iperf3", "netbench"):
        b = best.get((key, tool))
        if b is None:
            cells.append((0, f"{'none':>9} {'':>6} {'':>7}"))
            continue
        mbit, recv, loss, ccpu, scpu = b
        at_top = mbit == top[key] and (key, tool) not in failed_above
        rate = (">=" if at_top else "") + f"{recv / 1e9:.2f}"
        cells.append((mbit, f"{rate:>9} {recv / 8 / size / 1e3:6.0f} {ccpu:3.0f}/{scpu:<3.0f}"))
    ratio = f"{cells[1][0] / cells[0][0]:.1f}x" if cells[0][0] else "-"
    print(f"{path:9} {size:5} {streams:2} | {cells[0][1]} | {cells[1][1]} | {ratio}")
PY
