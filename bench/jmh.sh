#!/usr/bin/env bash
# Builds the JMH benchmarks (module jmh and what it depends on) and runs them.
#   bench/jmh.sh                          all benchmarks, the iterations and forks set in the sources
#   bench/jmh.sh FrameCodec -p msgSize=1  any JMH arguments: a benchmark regex, -p, -prof gc, -rf json, ...
#   JMH_SMOKE=1 bench/jmh.sh              every benchmark briefly (1 fork, 1 s warm-up, 1 s measurement): CI
# Works from any directory. Smoke numbers only show that the benchmarks run; they are not measurements.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [[ -x ./mvnw ]]; then
    mvn=(./mvnw)
else
    mvn=(mvn)
fi
"${mvn[@]}" -q -B -DskipTests package -pl jmh -am

# JMH refuses an option given twice, so a smoke flag the caller also gives (e.g. -i 3) is left to the caller.
args=()
if [[ "${JMH_SMOKE:-}" == 1 ]]; then
    for pair in "-f 1" "-wi 1" "-i 1" "-w 1s" "-r 1s"; do
        flag=${pair%% *}
        given=0
        for arg in "$@"; do
            if [[ "$arg" == "$flag" ]]; then
                given=1
            fi
        done
        if (( ! given )); then
            args+=("$flag" "${pair#* }")
        fi
    done
fi

exec java -jar jmh/target/benchmarks.jar ${args[@]+"${args[@]}"} "$@"
