#!/usr/bin/env bash
# netbench matrix on the emulated two-node cluster (emulated-cluster.sh), in routed and in VXLAN mode, then
# netbench compare of the two, then a matrix during which one agent is killed. Checks every scenario row is there
# with plausible values, that each row's scenario follows from the agents' identities (recomputed here from the
# identities the matrix reports, not from names), that compare pairs every row, and that the killed agent yields
# marked failed cells in a finished table. Needs root, iproute2, iptables, python3. Prints "N passed, N failed";
# the tables and JSON land in target/ci-artifacts/matrix/.
#   sudo bash cli/src/test/cluster/matrix-test.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../../.." && pwd)
cd "$root"
jar=cli/target/netbench.jar
[ -f "$jar" ] || ./mvnw -B -q package -DskipTests
cluster=$here/emulated-cluster.sh
export NBC_STATE=/tmp/netbench-cluster-$$
out=target/ci-artifacts/matrix
mkdir -p "$out"
passed=0 failed=0
trap 'bash "$cluster" down' EXIT

check() { # name, python condition, arguments for it...
  if python3 -c "$2" "${@:3}"; then echo "ok      $1"; passed=$((passed + 1)); else echo "FAILED  $1"; failed=$((failed + 1)); fi
}

matrix() { # label, extra args...
  local label=$1; shift
  bash "$cluster" run java -Djdk.net.hosts.file="$NBC_STATE/hosts" -jar "$jar" matrix --token-file "$NBC_STATE/token" \
    --pods netbench-pod.netbench.svc --hosts netbench-host.netbench.svc --service 10.96.0.10 --external 10.250.9.100 \
    -t 1 --warmup 0.3 --label "$label" "$@"
}

# the classification and plausibility checks over one matrix document
read -r -d '' verify <<'PY' || true
import json, sys
doc = json.load(open(sys.argv[1]))
agents = {a["name"]: a for a in doc["agents"]}
expected = {"node-node", "node-self", "pod-pod-same-node", "pod-pod-cross-node", "node-pod", "pod-node",
            "node-pod-same-node", "pod-node-same-node", "pod-service-pod", "external-lb-pod"}
rows = {r["scenario"]: r for r in doc["scenarios"]}
assert set(rows) == expected, sorted(rows)
assert len(doc["agents"]) == 6 and sum(a["host_network"] for a in doc["agents"]) == 2, doc["agents"]
def scenario(s, t):
    same = s["node"] == t["node"]
    if s["host_network"] and t["host_network"]: return "node-self" if same else "node-node"
    if not s["host_network"] and not t["host_network"]: return "pod-pod-same-node" if same else "pod-pod-cross-node"
    if s["host_network"]: return "node-pod-same-node" if same else "node-pod"
    return "pod-node-same-node" if same else "pod-node"
for r in doc["scenarios"]:
    if r["scenario"] in ("pod-service-pod", "external-lb-pod"):
        continue
    assert scenario(agents[r["source"]], agents[r["target"]]) == r["scenario"], r
assert not agents[rows["pod-service-pod"]["source"]]["host_network"], "the Service is measured from a pod"
for r in doc["scenarios"]:
    v = r["values"]
    assert not r.get("errors"), r
    assert 1 < v["tcp_lat"] < 20000, r            # microseconds, half a round trip
    assert v["tcp_bw"] > 1e8, r                   # bit/s: veths move gigabits
    assert v["http"] > 500, r                     # requests per second
PY

for mode in routed vxlan; do
  bash "$cluster" up $mode
  # the emulation's Service opens at once from a pod whose own address is among its backends (kubelet's hairpin)
  slow=$(ip netns exec "${NBC_PREFIX:-nbc}-pod-a1" python3 -c "
import socket, time
slow = 0
for _ in range(40):
    s = socket.socket(); s.settimeout(5); t = time.monotonic()
    try:
        s.connect(('10.96.0.10', 7580))
        slow += time.monotonic() - t > 0.5
    except OSError:
        slow += 1  # refused or timed out: slow too, counted once
    s.close()
print(slow)")
  check "$mode: 40 connections from a pod to the Service, each open in under 0.5 s (slow: $slow)" "assert $slow == 0"
  if matrix $mode --save "$out/$mode.json" --report "$out/$mode.html" > "$out/$mode.txt" 2> "$out/$mode.progress"; then rc=0; else rc=$?; fi
  cat "$out/$mode.txt"
  check "$mode: matrix exits 0 with every cell measured" "import sys; sys.exit($rc)"
  check "$mode: every scenario row, classified from identities, plausible values" "$verify" "$out/$mode.json"
  [ "$failed" -eq 0 ] || sed -n 1,40p "$out/$mode.progress"
  # the mode is real: in VXLAN mode the cross-node pod traffic went through the VXLAN device (tcp_bw moved gigabytes)
  vx_bytes=$(ip -n "${NBC_PREFIX:-nbc}-node-a" -j -s link show vxlan0 2>/dev/null \
    | python3 -c "import json, sys; print(json.load(sys.stdin)[0]['stats64']['tx']['bytes'])" 2>/dev/null || echo none)
  if [ $mode = vxlan ]; then
    check "vxlan: pod traffic between the nodes crossed the VXLAN device ($vx_bytes bytes sent)" "assert '$vx_bytes' != 'none' and int('$vx_bytes') > 1e8"
  else
    check "routed: no VXLAN device, pod subnets routed via the other node" "assert '$vx_bytes' == 'none'"
  fi
done

java -jar "$jar" compare --report "$out/compare.html" "$out/routed.json" "$out/vxlan.json" > "$out/compare.txt"
check "compare routed vs vxlan: every scenario and metric paired, with a difference" "
lines = open('$out/compare.txt').read().splitlines()
body = [l for l in lines[2:] if l.strip()]
assert len(body) == 10 * 6, len(body)
# a cost withheld at both sides (one kernel: not separable) is n/a at both, not compared; a count that is 0 at both
# (retransmits: none in either run) has no relative difference either
import re
same_zero = lambda l: re.search(r'\s0 segments\s+0 segments\s', l) is not None
assert all('%' in l or l.count('n/a') == 2 or same_zero(l) for l in body), \
    [l for l in body if '%' not in l and l.count('n/a') != 2 and not same_zero(l)]
"
cat "$out/compare.txt"
check "HTML reports: a heatmap row per scenario for each matrix, bars for the comparison" "
import re
for name in ('routed', 'vxlan'):
    html = open('$out/' + name + '.html').read()
    rows = set(re.findall(r'<tr data-scenario=\"([a-z-]+)\"', html))
    assert html.startswith('<!DOCTYPE html>') and '<table class=\"heatmap\"' in html, name
    assert len(rows) == 10, (name, rows)
html = open('$out/compare.html').read()
assert '<svg' in html and 'PodA-1&gt;PodB-2' in html, 'compare'
"

# the real matrix's report in a real browser, as .ci/report-test.sh does for its fixtures (CI installs chromium)
for page in "routed matrix routed" "compare compare routed"; do
  set -- $page
  check "headless Chromium: the $1 report's DOM, console and requests" \
    "import subprocess, sys
r = subprocess.run(['python3', '.ci/report-check.py', '--html', '$out/$1.html', '--kind', '$2', '--table', '$out/$3.json', '--screenshot', '$out/$1.png'], capture_output=True, text=True)
print(''.join(l + '\\n' for l in (r.stdout + r.stderr).splitlines() if not l.startswith('ok ')), end='') if r.returncode else None
sys.exit(r.returncode)"
done

# tcp_bw's socket options reach both ends of every scenario's data sockets, agents in other namespaces included;
# and --fail-if gates on the table: no scenario reaches 1 Tbit/s (exit 3, a line per scenario), all exceed 1 kbit/s
if matrix vxlan-knobs --tests tcp_bw -N -w 256K -S 0x10 -Z --fail-if 'tcp_bw < 1T' --fail-if 'tcp_bw < 1k' --json \
  > "$out/knobs.json" 2> "$out/knobs.progress"; then rc=0; else rc=$?; fi
check "--fail-if 'tcp_bw < 1T': exit 3, one breach per scenario quoting its value; 'tcp_bw < 1k' none" "
import json, re
assert $rc == 3, $rc
doc = json.load(open('$out/knobs.json'))
lines = [l for l in open('$out/knobs.progress') if 'threshold breached' in l]
assert len(lines) == len(doc['scenarios']) == 10 and all(\"tcp_bw < 1T: \" in l for l in lines), lines
scale = {'': 1, 'k': 1e3, 'M': 1e6, 'G': 1e9, 'T': 1e12}
quoted = sorted(float(m.group(1)) * scale[m.group(2)] for m in (re.search(r'measured ([0-9.]+) ([kMGT]?)bit/s', l) for l in lines))
values = sorted(r['values']['tcp_bw'] for r in doc['scenarios'])
assert all(abs(q - v) <= 0.006 * v for q, v in zip(quoted, values)), (quoted, values)  # three significant figures
"
check "tcp_bw -N -w 256K -S 0x10 -Z: read back at both ends in every scenario" "
import json, sys
doc = json.load(open('$out/knobs.json'))
assert doc['settings']['tcp_bw_sockets']['zerocopy'] and doc['settings']['tcp_bw_sockets']['window_bytes'] == 262144
assert len(doc['scenarios']) == 10, len(doc['scenarios'])
wmem = int(open('/proc/sys/net/core/wmem_max').read()); rmem = int(open('/proc/sys/net/core/rmem_max').read())
for r in doc['scenarios']:
    read = r['tcp_bw_socket']
    assert read['nodelay'] and read['zerocopy'], r
    for end in ('sender', 'receiver'):
        s = read['socket'][end]
        assert s['nodelay'] and s['tos'] == 16 and s['zerocopy'] == (end == 'sender'), (end, r)
        assert s['sndbuf_bytes'] == 2 * min(262144, wmem) and s['rcvbuf_bytes'] == 2 * min(262144, rmem), (end, r)
"
# a failed cell says why only in the progress and the document: show both, so a CI log alone explains a failure
[ "$failed" -eq 0 ] || { cat "$out/knobs.progress"; python3 -c "
import json
for r in json.load(open('$out/knobs.json'))['scenarios']:
    if r.get('errors') or 'tcp_bw_socket' not in r:
        print('failed cell:', json.dumps(r))" || true; }

# the VXLAN cluster is still up: kill node-b's host agent once the matrix is past the first scenarios
matrix vxlan-killed > "$out/killed.txt" 2> "$out/killed.progress" &
pid=$!
for _ in $(seq 300); do
  grep -q "pod-pod-same-node" "$out/killed.progress" 2>/dev/null && break
  sleep 0.1
done
bash "$cluster" kill node-b
if wait $pid; then rc=0; else rc=$?; fi
cat "$out/killed.txt"
check "killed agent: exit 1, the table finished, its cells marked failed, the rest measured" "
rc = $rc
text = open('$out/killed.txt').read()
rows = [l for l in text.splitlines() if l.startswith(('Node', 'Pod', 'Outside'))]
assert rc == 1, rc
assert len(rows) == 10, rows
failed = [l for l in rows if 'FAILED' in l]
assert any(l.startswith('PodA-1>NodeB') for l in failed), failed
assert not any(l.startswith('PodA-1>PodB-2') for l in failed), failed
assert '[1] ' in text
"

echo "matrix-test: $passed passed, $failed failed (tables in $out)"
[ "$failed" -eq 0 ]
