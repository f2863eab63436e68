#!/usr/bin/env bash
# A short, bounded fuzzing run of every Jazzer @FuzzTest (CI runs it after the tests). Each target gets
# FUZZ_SECONDS (default 30) of coverage-guided fuzzing, seeded from its checked-in regression inputs
# (engine/src/test/resources/.../<Class>Inputs/<method>/). A crash fails the run, and Jazzer writes the crashing
# input into that directory: commit it (with the fix) and it runs in every ./mvnw verify from then on.
# Inputs that found new coverage go to engine/.cifuzz-corpus/ (not committed).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${FUZZ_SECONDS:-30}"
targets=(
  dev.netbench.protocol.FrameDecoderFuzzTest
  dev.netbench.http.ResponseParserFuzzTest
  dev.netbench.udp.UdpAgentFuzzTest#datagrams
  dev.netbench.udp.UdpAgentFuzzTest#validatedSource
  dev.netbench.client.SizesFuzzTest
)
total=0
for target in "${targets[@]}"; do
  log="$(mktemp)"
  echo "fuzz: ${target##*.} for ${seconds} s"
  # one fuzz test per JVM (libFuzzer's state is global); leak detection off for speed: the targets check
  # reference counts themselves
  if ! JAZZER_FUZZ=1 JAZZER_MAX_DURATION="${seconds}s" ./mvnw -B -o -q -pl engine surefire:test -Dtest="$target" \
      -Dsurefire.failIfNoSpecifiedTests=false -Dnetty.leakDetection=disabled > "$log" 2>&1; then
    grep -E 'FuzzTestFinding|==[0-9]+== |Exception|crash-|Tests run' "$log" | head -40 || true
    echo "fuzz: ${target##*.} FAILED: the crashing input is in engine/src/test/resources (see above)" >&2
    rm -f "$log"
    exit 1
  fi
  runs="$(grep -Eo 'Done [0-9]+ runs' "$log" | awk '{s += $2} END {print s + 0}')"
  echo "fuzz: ${target##*.}: ${runs} inputs, no crash"
  total=$((total + runs))
  rm -f "$log"
done
echo "fuzz: ${total} inputs tried across ${#targets[@]} targets, no crash"
