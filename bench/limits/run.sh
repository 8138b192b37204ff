#!/usr/bin/env bash
# What a chat-limit check costs: bench/limits/run.sh [CHECKS] [CHATS]  (from anywhere)
# Starts its own embedded PostgreSQL; times the per-node in-memory check against the cluster-wide
# check in database A (chat_admit), alone and inside a chat over HTTP, side by side in one run.
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME="$(./zmarty --print-jdk)"
mvn -B -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >/dev/null
cp="target/test-classes:target/classes:$(cat target/bench.classpath)"
exec "$JAVA_HOME/bin/java" -Xmx1g -DLOG_LEVEL=WARN -cp "$cp" ai.zmarty.bench.ChatLimitsBench "${1:-2000}" "${2:-300}"
