#!/usr/bin/env bash
# Issue 15 goal 3, fan-out: bench/fanout/run.sh [SUBSCRIBERS] [EVENTS] [GAP_MS] [TRANSPORTS]  (from anywhere)
# One API node (its own JVM and embedded PostgreSQL) and SUBSCRIBERS (10000) subscribers per
# transport (sse,ws,bridge) in this JVM; EVENTS (20) events GAP_MS (250) apart, each timed from its
# publish to every subscriber's receipt. Prints p50/p95/p99/max beside the goal (p99 < 100 ms) and
# the node's RSS; exits 1 when the goal is missed. Needs 10,000+ file descriptors per process.
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME="$(./zmarty --print-jdk)"
mvn -B -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >/dev/null
cp="target/test-classes:target/classes:$(cat target/bench.classpath)"
exec "$JAVA_HOME/bin/java" -Xmx1g -cp "$cp" ai.zmarty.bench.FanoutBench "${1:-10000}" "${2:-20}" "${3:-250}" "${4:-sse,ws,bridge}"
