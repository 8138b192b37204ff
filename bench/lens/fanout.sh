#!/usr/bin/env bash
# The lens fan-out alone: bench/lens/fanout.sh [SUBSCRIBERS] [SECONDS]  (from anywhere)
# Decisions published straight on the event bus of an API node at 1/s and 100/s for SECONDS (20)
# each, timed from the publish to each of SUBSCRIBERS (100) WebSocket subscribers; goal p95 < 1 s.
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME="$(./zmarty --print-jdk)"
mvn -B -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >/dev/null
cp="target/test-classes:target/classes:$(cat target/bench.classpath)"
exec "$JAVA_HOME/bin/java" -Xmx1g -cp "$cp" ai.zmarty.bench.LensFanoutBench "${1:-100}" "${2:-20}"
