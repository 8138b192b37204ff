#!/usr/bin/env bash
# The lens pipeline benchmark: bench/lens/run.sh [SUBSCRIBERS] [SECONDS_A] [SECONDS_B]  (from anywhere)
# Starts its own embedded PostgreSQL and one node (api + worker), opens SUBSCRIBERS (100) WebSocket
# subscribers on /ws/decisions and posts signals to POST /api/v1/signals: (a) 1/s for SECONDS_A (60)
# judged by two fake OpenAI-compatible models answering in 1-3 s, then (b) 100/s for SECONDS_B (30)
# judged offline. Prints each stage's p50/p95/p99 of both phases side by side with the goals, and the
# machine's load; exits 1 when a goal is missed or a signal or copy is missing.
# PROFILE=1 also records a JFR execution profile (target/lens-bench.jfr) and prints its summary.
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME="$(./zmarty --print-jdk)"
mvn -B -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >/dev/null
cp="target/test-classes:target/classes:$(cat target/bench.classpath)"
jfr=()
if [ "${PROFILE:-0}" = 1 ]; then
  jfr=(-XX:StartFlightRecording=filename=target/lens-bench.jfr,settings=profile,dumponexit=true)
fi
echo "$(date -u +%FT%TZ) $(nproc) cores; load before: $(uptime)"
status=0
"$JAVA_HOME/bin/java" -Xmx2g "${jfr[@]}" -cp "$cp" ai.zmarty.bench.LensPipelineBench "${1:-100}" "${2:-60}" "${3:-30}" || status=$?
echo "load after: $(uptime)"
if [ "${PROFILE:-0}" = 1 ]; then
  bench/lens/profile-summary.sh target/lens-bench.jfr
fi
exit $status
