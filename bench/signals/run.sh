#!/usr/bin/env bash
# The signals benchmark: bench/signals/run.sh [-o]  (from anywhere; -o runs Maven offline)
#  1. indicator updates per second per core, all 21 indicators, incremental vs a window rebuild;
#  2. the win-rate recompute over 1,000,000 signals, set-based vs a loop of queries
#     (starts its own embedded PostgreSQL; WINRATE_SIGNALS / WINRATE_PAIRS / WINRATE_RUNS to change,
#     WINRATE_VACUUM=false to time it right after the bulk load, before any vacuum); goal under 0.5 s;
#     then the per-source performance roll-up with and without its index (migration 20260109060000).
#     WINRATE_SIGNALS=100000,1000000 runs it once per size (a fresh database each), for the scaling.
# ONLY=winrate runs the second half alone.
# Each program exits non-zero when its goal is missed (or the win-rate counts disagree); both run,
# and this script then exits 1, naming the ones that failed.
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME="$(./zmarty --print-jdk)"
mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test "$@" >/dev/null
cp="target/test-classes:target/classes:$(cat target/bench.classpath)"
failed=()
if [[ "${ONLY:-}" != winrate ]]; then
  "$JAVA_HOME/bin/java" -Xss4m -cp "$cp" ai.zmarty.bench.IndicatorBench || failed+=("IndicatorBench (goal: 2,000 updates/s per core)")
  echo
fi
IFS=, read -ra sizes <<<"${WINRATE_SIGNALS:-1000000}"
for n in "${sizes[@]}"; do
  echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  "$JAVA_HOME/bin/java" -Xmx2g -cp "$cp" ai.zmarty.winrate.WinRateRecomputeBench "$n" "${WINRATE_PAIRS:-100}" "${WINRATE_RUNS:-5}" "${WINRATE_VACUUM:-true}" \
    || failed+=("WinRateRecomputeBench $n (goal: under 0.5 s, same counts as the baseline, same performance rows with and without the index)")
  echo
done
if ((${#failed[@]})); then
  printf 'bench/signals: FAILED: %s\n' "${failed[@]}" >&2
  exit 1
fi
