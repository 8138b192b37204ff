#!/usr/bin/env bash
# The queue benchmark: bench/queue/run.sh [JOBS] [SAMPLES] [PGBOSS_WORKERS] [PGBENCH_CLIENTS]  (from anywhere)
# Starts one embedded PostgreSQL (database B migrated, pgmq as the project installs it) and runs the
# same no-op jobs (JOBS, default 50,000) through (a) our pgmq poller with a no-op handler on the bus,
# (b) pg-boss@10 (bench/queue/pgboss.mjs) and (c) pgbench looping pgmq.read + pgmq.archive (the
# ceiling), pre-filled and steady; then the idle send → handler start latency (SAMPLES, 200).
# Prints jobs/s side by side and the ratios; exits 1 when a goal of issue 15 (goal 2) is missed.
# The node's settings come from the environment (QUEUE_BATCH_SIZE, QUEUE_MAX_IN_FLIGHT, DB_POOL_SIZE …);
# ONLY=ours,pgboss,ceiling picks targets; JAVA_OPTS adds JVM flags (e.g. a JFR recording).
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME="$(./zmarty --print-jdk)"
[[ -d bench/queue/node_modules/pg-boss ]] || (cd bench/queue && npm ci --no-audit --no-fund >/dev/null)
export PGBENCH="${PGBENCH:-$(pg_config --bindir)/pgbench}"
mvn -B -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >/dev/null
cp="target/test-classes:target/classes:$(cat target/bench.classpath)"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); $(uptime)"
exec "$JAVA_HOME/bin/java" -Xmx1g ${JAVA_OPTS:-} -Dlogback.configurationFile=bench/queue/logback-bench.xml -cp "$cp" ai.zmarty.bench.QueueBench "${1:-50000}" "${2:-200}" "${3:-4}" "${4:-2}"
