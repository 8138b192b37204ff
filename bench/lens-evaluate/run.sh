#!/usr/bin/env bash
# The lens evaluation worker with the offline rules: events enqueued at a steady rate, each one's
# time from its lens_evaluate message to its event published. Args: [events] [per-second] [QUEUE_IDLE_POLL].
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME="${JAVA_HOME:-$(./zmarty --print-jdk)}"
export PATH="$JAVA_HOME/bin:$PATH"
mvn -B -o -q test-compile >/dev/null
mvn -B -o -q dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
exec java -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" ai.zmarty.bench.LensEvaluateBench "$@"
