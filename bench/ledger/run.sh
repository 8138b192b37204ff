#!/usr/bin/env bash
# What a chat's hold and settlement cost as a user's ledger grows: bench/ledger/run.sh [MAX_ROWS] [PAIRS]
# Starts its own embedded PostgreSQL; times credit_reserve + credit_settle for users with 0, 1,000,
# 10,000 … MAX_ROWS (100,000) earlier ledger rows, before and after 20260110000100_credit_balances,
# side by side in one run.
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME="$(./zmarty --print-jdk)"
mvn -B -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >/dev/null
cp="target/test-classes:target/classes:$(cat target/bench.classpath)"
echo "$(date -u +%FT%TZ) $(nproc) cores; load before: $(uptime)"
exec "$JAVA_HOME/bin/java" -Xmx1g -DLOG_LEVEL=WARN -cp "$cp" ai.zmarty.bench.LedgerHistoryBench "${1:-100000}" "${2:-300}"
