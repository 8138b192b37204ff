#!/usr/bin/env bash
# Memory of an API node holding STREAMS open SSE chats (issue 15 goal 4: RSS under 300 MB at 1,000),
# beside the same node idle (the baseline, same run). For each JVM configuration in CONFIGS a fresh
# api-only node (`./zmarty run --roles api`, embedded PostgreSQL, both fake providers) is started,
# measured idle, then with STREAMS chats streaming (one user each), then stopped.
# Env: STREAMS=1000  CONFIGS="launcher tuned g1"  (names below)  CHUNK_MS=2000 (fake's pace)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
gateway="$root/bench/gateway"
work="$(mktemp -d /tmp/zmarty-bench-memory.XXXXXX)"
streams="${STREAMS:-1000}"
secret="bench-secret-bench-secret-bench-secret-0123"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  for d in "$work"/*/; do [[ -f "$d/zmarty.log" ]] && cp "$d/zmarty.log" "${TMPDIR:-/tmp}/zmarty-bench-memory-$(basename "$d").log"; done 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# JVM flags per configuration, appended after the launcher's own (./zmarty gives an api-only node
# -Xms64m -Xmx256m -XX:MaxMetaspaceSize=160m -XX:ReservedCodeCacheSize=64m -XX:MaxDirectMemorySize=128m -XX:+UseSerialGC).
declare -A flags=(
  [launcher]=""
  [g1]="-XX:-UseSerialGC -XX:+UseG1GC"
  [tuned]="-Xmx160m -Xss512k -XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=32m -XX:MaxDirectMemorySize=64m -XX:CICompilerCount=1 -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30"
)
configs="${CONFIGS:-launcher tuned g1}"
export JAVA_HOME="${JAVA_HOME:-$("$root/zmarty" --print-jdk)}"
jcmd="$JAVA_HOME/bin/jcmd"

free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
wait_http() { for _ in $(seq 1 "$2"); do curl -fs -o /dev/null "$1" && return 0; sleep 1; done; echo "timed out waiting for $1" >&2; return 1; }
rss_mb() { awk '/^VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }
hwm_mb() { awk '/^VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }
heap_used() { # used/committed MB over the heap's generations (Serial: DefNew + Tenured; G1: its one heap)
  "$jcmd" "$1" GC.heap_info 2>/dev/null | awk '/total/ && !/Metaspace|class space/ {
      for (i = 1; i <= NF; i++) {v = $(i + 1); sub(/K,?/, "", v); if ($i == "used") u += v; if ($i == "committed") c += v; if ($i == "total" && $(i + 1) != "reserved") c += v}}
    END {printf "%.0f/%.0f", u / 1024, c / 1024}'
}
nmt() { # committed MB per NMT category of at least 1 MB, then the total, one line
  "$jcmd" "$1" VM.native_memory summary 2>/dev/null | awk '
    /^Total:/ { match($0, /committed=[0-9]+KB/); total = substr($0, RSTART + 10, RLENGTH - 12) }
    /^-/ && /committed=/ { name = $0; sub(/^- */, "", name); sub(/ *\(.*/, "", name);
      match($0, /committed=[0-9]+KB/); v = substr($0, RSTART + 10, RLENGTH - 12); if (v + 0 >= 1024) printf "%s %.0f, ", name, v / 1024 }
    END { printf "total %.0f", total / 1024 }'
}

# the fake providers: one OpenAI-compatible server for both Grok and GPT, a chunk every CHUNK_MS, for hours
fake_port="$(free_port)"
PORT="$fake_port" CHUNKS=100000 INTERVAL_MS="${CHUNK_MS:-2000}" node "$gateway/fake-provider.mjs" >"$work/fake.log" 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$fake_port/v1/models" 10
subs="$(for i in $(seq 1 "$streams"); do printf '00000000-0000-4000-9000-%012x\n' "$i"; done)"
# shellcheck disable=SC2086
node "$gateway/mint.mjs" "$secret" authenticated $subs >"$work/tokens.txt"

results=()
for cfg in $configs; do
  dir="$work/$cfg"; mkdir -p "$dir"
  port="$(free_port)"; pg_port="$(free_port)"
  ( cd "$root" && exec env HTTP_PORT="$port" EMBEDDED_PG_PORT="$pg_port" ZMARTY_DATA_DIR="$dir/data" JWT_SECRET="$secret" \
      MODEL_PROVIDER=auto XAI_API_KEY=bench XAI_BASE_URL="http://127.0.0.1:$fake_port/v1" OPENAI_API_KEY=bench OPENAI_BASE_URL="http://127.0.0.1:$fake_port/v1" \
      HEALTH_PROVIDERS= LOG_LEVEL=warn ZMARTY_JAVA_OPTS="-XX:NativeMemoryTracking=summary ${flags[$cfg]}" ./zmarty run --roles api ) >"$dir/zmarty.log" 2>&1 &
  pid=$!; pids+=("$pid")
  for _ in $(seq 1 240); do grep -q 'zmarty node up' "$dir/zmarty.log" && break; kill -0 "$pid" 2>/dev/null || break; sleep 1; done
  grep -q 'zmarty node up' "$dir/zmarty.log" || { echo "node ($cfg) did not start:" >&2; tail -40 "$dir/zmarty.log" >&2; exit 1; }
  psql -q -v ON_ERROR_STOP=1 -v users="$streams" "postgresql://postgres@127.0.0.1:$pg_port/zmarty_chat" >"$dir/seed.log" 2>&1 <<'SQL' || { cat "$dir/seed.log" >&2; exit 1; }
create temp table bench_users as
  select ('00000000-0000-4000-9000-' || lpad(to_hex(i), 12, '0'))::uuid as id, i from generate_series(1, :users) i;
insert into auth.users (id, email) select id, 'bench' || i || '@zmarty.local' from bench_users on conflict do nothing;
insert into profiles (id, tier) select id, 'pro' from bench_users on conflict do nothing;
insert into credits_ledger (user_id, delta, reason, request_id, units)
  select id, 1000000, 'bench grant', 'bench-grant-' || i, '{}'::jsonb from bench_users on conflict (request_id) do nothing;
SQL
  idle_rss="$(rss_mb "$pid")"; idle_heap="$(heap_used "$pid")"
  echo "[$cfg] node up (pid $pid, :$port): idle RSS ${idle_rss} MB, heap used/committed ${idle_heap} MB; opening $streams streams …" >&2
  node "$here/streams.mjs" "$port" "$work/tokens.txt" "$streams" >"$dir/streams.out" 2>"$dir/streams.err" &
  client=$!; pids+=("$client")
  for _ in $(seq 1 600); do grep -q '^open ' "$dir/streams.out" && break; kill -0 "$client" 2>/dev/null || break; sleep 1; done
  cat "$dir/streams.out" >&2
  open="$(awk '/^open / {print $2}' "$dir/streams.out")"
  rss="$(rss_mb "$pid")"; hwm="$(hwm_mb "$pid")"; heap="$(heap_used "$pid")"; threads="$(awk '/^Threads/ {print $2}' "/proc/$pid/status")"
  echo "[$cfg] with ${open:-0} streams open: RSS $rss MB (peak $hwm), heap used/committed $heap MB, $threads threads" >&2
  echo "[$cfg] NMT committed (MB): $(nmt "$pid")" >&2
  results+=("$(printf '| %-8s | %5s | %7s MB | %7s MB | %7s MB | %9s MB | %s |' "$cfg" "${open:-0}" "$idle_rss" "$rss" "$hwm" "$heap" "$([[ "${open:-0}" -eq "$streams" && "$rss" -lt 300 ]] && echo "under 300 MB" || echo "MISSED (goal: $streams open, < 300 MB)")")")
  kill "$client" 2>/dev/null || true; wait "$client" 2>/dev/null || true
  kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
done

echo
echo "API node memory, $streams SSE chats open (one user each), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
echo "| config   | open  | idle RSS   | RSS open   | peak RSS   | heap used/committed | goal: RSS < 300 MB |"
echo "|----------|------:|-----------:|-----------:|-----------:|-------------------:|--------------------|"
printf '%s\n' "${results[@]}"
for cfg in $configs; do echo "  $cfg: launcher flags + ${flags[$cfg]:-(none)}"; done
