#!/usr/bin/env bash
# A node on the embedded defaults with PAIRS watched pairs (written straight into its embedded
# PostgreSQL) through one full scheduler run: prints the JVM's peak RSS, when every pair was
# ingested, and the same for another checkout (by default the code before issue 9's fix), side by side.
# Usage: bench/scheduler/run.sh            (this checkout and BEFORE_REF)
# Env: PAIRS=1000  EVERY=1m (SCHEDULER_INGEST_EVERY)  BEFORE_REF=aae452b  ONLY=after|before  JAVA_OPTS=…
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
pairs="${PAIRS:-1000}"
every="${EVERY:-1m}"
before_ref="${BEFORE_REF:-aae452b}"
work="$(mktemp -d /tmp/zmarty-bench-scheduler.XXXXXX)"
pid=""
cleanup() {
  [[ -n "$pid" ]] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
java_pid() { # the JVM started under the launcher's pid $1 (exec: the same pid)
  local p="$1"
  for c in $(pgrep -P "$p" 2>/dev/null); do [[ "$(cat /proc/$c/comm)" == java ]] && { echo "$c"; return; }; done
  echo "$p"
}
kb() { awk -v k="$2" '$1 == k":" {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

# run <label> <checkout>: prints "label peak_rss_mb hwm_mb drain_s fired_messages"
run() {
  local label="$1" dir="$2" zm_port pg_port data="$work/$1-data" log="$work/$1.log"
  zm_port="$(free_port)"; pg_port="$(free_port)"
  ( cd "$dir" && exec env HTTP_PORT="$zm_port" EMBEDDED_PG_PORT="$pg_port" ZMARTY_DATA_DIR="$data" SCHEDULER_INGEST_EVERY="$every" \
      LOG_LEVEL=warn ./zmarty demo ) >"$log" 2>&1 &
  pid=$!
  for _ in $(seq 1 300); do grep -q 'export TOKEN=' "$log" && break; sleep 1; done
  grep -q 'export TOKEN=' "$log" || { echo "$label: zmarty did not start:" >&2; tail -40 "$log" >&2; exit 1; }
  local jpid; jpid="$(java_pid "$pid")"
  local b="postgresql://postgres@127.0.0.1:$pg_port/zmarty_trading"
  # PAIRS pairs nobody could add through the API any more (made-up symbols), as the issue's user did
  psql -q -v ON_ERROR_STOP=1 "$b" -c "insert into watchers (user_id, symbol, timeframe, active)
      select ('00000000-0000-4000-9000-' || lpad(to_hex(i), 12, '0'))::uuid, 'Z' || lpad(i::text, 4, '0') || '/USDT', '1h', true
      from generate_series(0, $pairs - 1) i on conflict do nothing" >/dev/null
  local seeded; seeded="$(psql -tA "$b" -c "select coalesce(max(slot), 0) from scheduler_runs where job = 'ingest_indicators'")"
  local peak=0 fired="" start_s="" done_s="" now rss
  while :; do
    rss="$(kb "$jpid" VmRSS)"; (( rss > peak )) && peak="$rss"
    now="$(date +%s.%N)"
    if [[ -z "$fired" ]]; then
      fired="$(psql -tA "$b" -c "select messages from scheduler_runs where job = 'ingest_indicators' and slot > $seeded and messages >= $pairs order by slot limit 1")"
      [[ -n "$fired" ]] && start_s="$now"
    else
      if [[ "$(psql -tA "$b" -c "select count(distinct symbol) from indicators where symbol like 'Z%' and computed_at >= (select fired_at from scheduler_runs where job = 'ingest_indicators' and slot > $seeded order by slot limit 1)")" -ge "$pairs" ]]; then
        done_s="$now"; break
      fi
    fi
    if [[ -n "$start_s" ]] && (( $(echo "$now - $start_s > 900" | bc) )); then echo "$label: not drained in 15 min" >&2; break; fi
    sleep 0.5
  done
  local hwm; hwm="$(kb "$jpid" VmHWM)"
  local depth; depth="$(psql -tA "$b" -c "select count(*) from pgmq.q_dead_letter")"
  printf '%s %d %d %s %s %s\n' "$label" $((peak / 1024)) $((hwm / 1024)) "$(echo "${done_s:-0} - ${start_s:-0}" | bc | xargs printf '%.0f')" "${fired:-0}" "$depth"
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
}

results=()
if [[ "${ONLY:-}" != before ]]; then
  results+=("$(run after "$root")")
fi
if [[ "${ONLY:-}" != after ]]; then
  mkdir -p "$work/before"
  git -C "$root" archive "$before_ref" | tar -x -C "$work/before"
  results+=("$(run before "$work/before")")
fi
echo
printf '%-8s %14s %12s %16s %14s %12s\n' code "peak RSS (MB)" "VmHWM (MB)" "drain time (s)" "jobs enqueued" "dead letters"
for r in "${results[@]}"; do
  read -r label peak hwm drain fired dead <<<"$r"
  printf '%-8s %14s %12s %16s %14s %12s\n' "$label" "$peak" "$hwm" "$drain" "$fired" "$dead"
done
