#!/usr/bin/env bash
# The lens fan-out benchmark: bench/lens/run.sh [SUBSCRIBERS] [SECONDS]  (from anywhere)
# Starts its own embedded PostgreSQL and an API node, opens SUBSCRIBERS (100) WebSocket subscribers
# on /ws/decisions and publishes decisions on the event bus at 1/s and 100/s for SECONDS (20) each;
# prints delivery latency percentiles side by side with the goal; exits 1 when the goal is missed.
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME="$(./zmarty --print-jdk)"
mvn -B -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >/dev/null
cp="target/test-classes:target/classes:$(cat target/bench.classpath)"
exec "$JAVA_HOME/bin/java" -Xmx1g -cp "$cp" ai.zmarty.bench.LensFanoutBench "${1:-100}" "${2:-20}"
