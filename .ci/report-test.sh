#!/usr/bin/env bash
# The HTML report in a real browser. Runs a real sweep on loopback (tcp_bw and tcp_lat at 9 message sizes), draws
# its report both ways (client --report, and netbench report from the saved JSON: they must be the same file), and
# draws a matrix and a comparison from the scenario tables in the test resources. Each page is opened in headless
# Chromium through chromedriver on loopback (.ci/report-check.py), which checks the DOM (axes, one point per swept
# size, heatmap cells), that the console has no errors and that nothing but the page itself was requested.
# Screenshots (whole pages and each chart) go to target/ci-artifacts/report/.
set -euo pipefail
cd "$(dirname "$0")/.."
out=target/ci-artifacts/report
fixtures=engine/src/test/resources/dev/netbench/report/html
sizes=1,4,16,64,256,1024,4096,16384,65536
rm -rf "$out"
mkdir -p "$out"

echo "-- a real sweep: tcp_bw and tcp_lat, 1 B to 64 KiB by ×4, loopback self-test"
./netbench client --tcp-bw --tcp-lat --msg 1:64K:*4 -t 1 --warmup 0 --json -q --report "$out/sweep-live.html" > "$out/sweep.json"
./netbench report "$out/sweep.json" -o "$out/sweep.html"
cmp "$out/sweep-live.html" "$out/sweep.html"
echo "client --report and netbench report wrote the same page"
python3 .ci/report-check.py --html "$out/sweep.html" --kind sweep --sizes "$sizes" --result "$out/sweep.json" \
  --screenshot "$out/sweep.png"

echo "-- a repeated sweep (--repeat 3): every point with its 95 % interval as a whisker"
./netbench client --tcp-bw --tcp-lat --msg 1:4K:*16 --repeat 3 -t 0.5 --warmup 0 --json -q > "$out/repeat.json"
./netbench report "$out/repeat.json" -o "$out/repeat.html"
python3 .ci/report-check.py --html "$out/repeat.html" --kind sweep --sizes 1,16,256,4096 --result "$out/repeat.json" \
  --whiskers --screenshot "$out/repeat.png"

echo "-- a matrix: the calico scenario table"
./netbench report "$fixtures/matrix-calico.json" -o "$out/matrix.html"
python3 .ci/report-check.py --html "$out/matrix.html" --kind matrix --table "$fixtures/matrix-calico.json" \
  --screenshot "$out/matrix.png"

echo "-- a comparison: cilium against calico"
./netbench report "$fixtures/matrix-calico.json" "$fixtures/matrix-cilium.json" -o "$out/compare.html"
python3 .ci/report-check.py --html "$out/compare.html" --kind compare --table "$fixtures/matrix-calico.json" \
  --screenshot "$out/compare.png"

echo "report artifacts (HTML, JSON, screenshots): $out/"
ls "$out"
