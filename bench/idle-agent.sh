#!/usr/bin/env bash
# What an idle agent costs its node: CPU (ns of run time of all its threads, from /proc/PID/task/*/schedstat) and
# resident memory, measured over WINDOW seconds after it has sat idle SETTLE seconds. Several jars are measured in
# interleaved rounds (A B A B), one agent at a time, to compare builds. The JVM runs with the image's default
# JAVA_OPTS (the Dockerfile's), since that is what a DaemonSet runs; set JAVA_OPTS to measure others.
#   ROUNDS=2 SETTLE=45 WINDOW=20 bash bench/idle-agent.sh [JAR...]    (default: cli/target/netbench.jar)
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-2} SETTLE=${SETTLE:-45} WINDOW=${WINDOW:-20}
JAVA_OPTS=${JAVA_OPTS-$(sed -n 's/.*JAVA_OPTS="\(.*\)"$/\1/p' Dockerfile | head -1)}
echo "JAVA_OPTS: $JAVA_OPTS"
jars=("$@")
[ ${#jars[@]} -gt 0 ] || jars=(cli/target/netbench.jar)
run_ns() { cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{s += $1} END {printf "%.0f\n", s}'; }
for round in $(seq "$ROUNDS"); do
  for jar in "${jars[@]}"; do
    # shellcheck disable=SC2086
    java $JAVA_OPTS -jar "$jar" server -p 17595 --http-port 17596 > /dev/null 2>&1 &
    pid=$!
    sleep "$SETTLE"
    a=$(run_ns $pid)
    sleep "$WINDOW"
    b=$(run_ns $pid)
    rss=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
    kill $pid; wait $pid 2>/dev/null || true
    awk -v r="$round" -v j="$jar" -v ns=$((b - a)) -v w="$WINDOW" -v rss="$rss" 'BEGIN {
      printf "round %s  %-40s  idle CPU %6.1f ms per %s s = %.2f %% of one CPU  RSS %.1f MiB\n", r, j, ns / 1e6, w, ns / 1e7 / w, rss / 1024 }'
  done
done
