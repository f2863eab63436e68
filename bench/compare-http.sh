#!/usr/bin/env bash
# HTTP side by side, on loopback, every server pinned to SERVER_CPU and every client to CLIENT_CPU:
#  1. ab -k vs netbench --http against the same one-worker nginx: requests/s and client CPU per request;
#  2. netbench's own HTTP target vs that nginx, both loaded by the same netbench client: requests per server CPU-second.
# Installs nothing: needs nginx, ab (apache2-utils), taskset, python3 and the netbench jar. Run by bench/compare.sh.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-3}
SERVER_CPU=${SERVER_CPU:-0}
CLIENT_CPU=${CLIENT_CPU:-1}
CONCURRENCY=${CONCURRENCY:-100}
# netbench's figures exclude its warm-up by design; its JVM needs ~3 s of load before the JIT's second tier has
# compiled the load generator (perf: C2 compiler threads busy for the first 2-3 s, idle after). ab, in C, has
# nothing to warm, so its figure is its whole process.
CLIENT_WARMUP=${CLIENT_WARMUP:-3}
NGINX_PORT=${NGINX_PORT:-18481}
NB_PORT=${NB_PORT:-18475}
NB_HTTP_PORT=${NB_HTTP_PORT:-18480}
JAR=cli/target/netbench.jar
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

for tool in ab taskset python3; do
  command -v "$tool" >/dev/null || { echo "compare-http: $tool not found (apt-get install apache2-utils util-linux python3)" >&2; exit 2; }
done
[ -x "$NGINX" ] || { echo "compare-http: nginx not found (apt-get install nginx)" >&2; exit 2; }
[ -f "$JAR" ] || { echo "compare-http: $JAR missing (./mvnw -B -DskipTests package)" >&2; exit 2; }

work=$(mktemp -d /tmp/nb-compare-http.XXXXXX)
chmod 755 "$work"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

# nginx serves a body the size of netbench's GET / (21 bytes), so both servers send the same response body
printf 'netbench http target\n' > "$work/index.html"
chmod 644 "$work/index.html"
cat > "$work/nginx.conf" <<CONF
daemon off;
worker_processes 1;
pid $work/nginx.pid;
error_log $work/error.log;
events { worker_connections 4096; }
http { access_log off; keepalive_requests 100000000;
  server { listen 127.0.0.1:$NGINX_PORT; root $work; } }
CONF
taskset -c "$SERVER_CPU" "$NGINX" -c "$work/nginx.conf" -p "$work" & pids+=($!)
taskset -c "$SERVER_CPU" java -jar "$JAR" server -B 127.0.0.1 -p "$NB_PORT" --http-port "$NB_HTTP_PORT" --threads 1 > "$work/nb.log" 2>&1 & pids+=($!)
nb_pid=$!
for port in $NGINX_PORT $NB_HTTP_PORT; do
  for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.1; done
done
nginx_worker=$(pgrep -f "nginx: worker process" -P "$(cat "$work/nginx.pid")" | head -1)

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

url_nginx="http://127.0.0.1:$NGINX_PORT/index.html"
url_nb="http://127.0.0.1:$NB_HTTP_PORT/"

# both servers take the same warm-up load first (the JVM's JIT, nginx's caches)
for url in "http://127.0.0.1:$NGINX_PORT/index.html" "http://127.0.0.1:$NB_HTTP_PORT/"; do
  taskset -c "$CLIENT_CPU" java -jar "$JAR" client --http -c "$CONCURRENCY" -t 3 --warmup 0 --threads 1 "$url" > /dev/null 2>&1
done

# ab has no time limit of its own worth using (-t caps -n at 50000): give it the request count netbench reached
results="$work/results"
: > "$results"
for round in $(seq "$ROUNDS"); do
  # netbench client against nginx
  taskset -c "$CLIENT_CPU" java -jar "$JAR" client --http -c "$CONCURRENCY" -t "$DURATION" --warmup "$CLIENT_WARMUP" --threads 1 --json "$url_nginx" 2>/dev/null > "$work/nb.json"
  read -r nb_rps nb_cpu nb_n <<<"$(python3 -c "import json; r=json.load(open('$work/nb.json'))['results'][0]; print(r['requests_per_second'], r['client_cpu_us_per_request'], r['complete'])")"
  # ab against nginx, the same number of requests; its whole-process CPU from the shell's times
  TIMEFORMAT='%U %S'
  { time taskset -c "$CLIENT_CPU" ab -q -k -c "$CONCURRENCY" -n "$nb_n" "$url_nginx" > "$work/ab.txt" 2>&1; } 2> "$work/ab.time"
  ab_rps=$(awk '/^Requests per second/ {print $4}' "$work/ab.txt")
  ab_failed=$(awk '/^Failed requests/ {print $3}' "$work/ab.txt")
  ab_cpu=$(python3 -c "u,s=open('$work/ab.time').read().split(); print((float(u)+float(s))*1e6/$nb_n)")
  # the servers' CPU under the same netbench load: nginx's worker, then netbench's agent
  before=$(cpu_ticks "$nginx_worker")
  taskset -c "$CLIENT_CPU" java -jar "$JAR" client --http -c "$CONCURRENCY" -t "$DURATION" --threads 1 --json "$url_nginx" 2>/dev/null > "$work/ng.json"
  ngx_ticks=$(( $(cpu_ticks "$nginx_worker") - before ))
  before=$(cpu_ticks "$nb_pid")
  taskset -c "$CLIENT_CPU" java -jar "$JAR" client --http -c "$CONCURRENCY" -t "$DURATION" --threads 1 --json "$url_nb" 2>/dev/null > "$work/nt.json"
  nbt_ticks=$(( $(cpu_ticks "$nb_pid") - before ))
  read -r ngx_per_cpu nbt_per_cpu <<<"$(python3 -c "
import json
ng=json.load(open('$work/ng.json'))['results'][0]; nt=json.load(open('$work/nt.json'))['results'][0]
print(ng['complete']/max($ngx_ticks/100,0.01), nt['complete']/max($nbt_ticks/100,0.01))")"
  printf 'round %d: rps netbench %.0f ab %.0f (ab failed %s); client cpu/request netbench %.2f us ab %.2f us; requests per server cpu-s netbench target %.0f nginx %.0f\n' \
    "$round" "$nb_rps" "$ab_rps" "$ab_failed" "$nb_cpu" "$ab_cpu" "$nbt_per_cpu" "$ngx_per_cpu"
  echo "$nb_rps $ab_rps $nb_cpu $ab_cpu $nbt_per_cpu $ngx_per_cpu" >> "$results"
done

python3 - "$results" "$ROUNDS" "$CLIENT_WARMUP" <<'PY'
import statistics, sys
rows = [list(map(float, l.split())) for l in open(sys.argv[1]) if l.strip()]
med = [statistics.median(c) for c in zip(*rows)]
n = sys.argv[2]
def line(name, ratio, detail, ok, target):
    print(f"{name} = {ratio:.2f}  ({detail}, median of {n})  target {target}  {'PASS' if ok else 'BELOW TARGET'}")
line("http rps          netbench/ab    ", med[0] / med[1], f"netbench {med[0]:.0f} req/s, ab -k {med[1]:.0f} req/s", med[0] >= med[1], ">= 1.00")
line("http client cpu   netbench/ab    ", med[2] / med[3], f"netbench {med[2]:.2f} us/request (measured window after a {sys.argv[3]} s warm-up), ab {med[3]:.2f} us/request (whole process)", med[2] <= med[3], "<= 1.00")
line("http target       netbench/nginx ", med[4] / med[5], f"netbench {med[4]:.0f}, nginx 1 worker {med[5]:.0f} requests per server CPU-second", med[4] >= med[5], ">= 1.00")
PY
