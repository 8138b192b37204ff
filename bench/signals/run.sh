#!/usr/bin/env bash
# Runs the signals benchmark on the test classpath: bench/signals/run.sh (from anywhere).
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test "$@" >/dev/null
exec java -Xss4m -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" ai.zmarty.bench.IndicatorBench
