#!/usr/bin/env bash
# A node on the embedded defaults with PAIRS watched pairs (written straight into its embedded
# PostgreSQL) through one full scheduler run: prints the JVM's peak RSS, when every pair was
# ingested, and the same for another checkout (by default the code before issue 9's fix), side by side.
# Usage: bench/scheduler/run.sh            (this checkout and BEFORE_REF)
# Env: PAIRS=1000  EVERY=2h SPREAD=0.0334 (the before code's SCHEDULER_INGEST_EVERY/_SPREAD)
#      CRON_SPREAD=0.00278  BEFORE_REF=aae452b  ONLY=after|before  JAVA_OPTS=…
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
pairs="${PAIRS:-1000}"
# one run (no second during the drain), its jobs spread over 240 s as the defaults do (5 min × 0.8):
# this checkout: daily at 00:00 UTC with a day's catch-up (a fresh node runs that slot at once),
# 0.00278 × 24 h = 240 s; the before code: every 2 h, 0.0334 × 2 h = 240 s
every="${EVERY:-2h}"
spread="${SPREAD:-0.0334}"
cron_spread="${CRON_SPREAD:-0.00278}"
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

start() { # label dir zm_port pg_port data log: starts a demo node, waits for its token line
  local sched=(SCHEDULER_INGEST_EVERY="$every" SCHEDULER_INGEST_SPREAD="$spread")
  [[ "$1" == after ]] && sched=(SCHEDULER_INGEST_CRON="0 0 * * *" SCHEDULER_CATCH_UP=1d SCHEDULER_INGEST_SPREAD="$cron_spread")
  ( cd "$2" && exec env HTTP_PORT="$3" EMBEDDED_PG_PORT="$4" ZMARTY_DATA_DIR="$5" "${sched[@]}" LOG_LEVEL=warn ./zmarty demo ) >"$6" 2>&1 &
  pid=$!
  for _ in $(seq 1 300); do grep -q 'export TOKEN=' "$6" && break; sleep 1; done
  grep -q 'export TOKEN=' "$6" || { echo "$1: zmarty did not start:" >&2; tail -40 "$6" >&2; exit 1; }
}

# run <label> <checkout>: prints "label peak_rss_mb hwm_mb drain_s fired_messages dead_letters"
run() {
  local label="$1" dir="$2" zm_port pg_port data="$work/$1-data"
  zm_port="$(free_port)"; pg_port="$(free_port)"
  local b="postgresql://postgres@127.0.0.1:$pg_port/zmarty_trading"
  # 1. a first start creates the databases; PAIRS made-up pairs (nobody could add them through
  #    the API any more) go straight into B, and the slots taken so far are forgotten
  start "$label" "$dir" "$zm_port" "$pg_port" "$data" "$work/$label-1.log"
  psql -q -v ON_ERROR_STOP=1 "$b" -c "insert into watchers (user_id, symbol, timeframe, active)
      select ('00000000-0000-4000-9000-' || lpad(to_hex(i), 12, '0'))::uuid, 'Z' || lpad(i::text, 4, '0') || '/USDT', '1h', true
      from generate_series(0, $pairs - 1) i on conflict do nothing" -c "delete from scheduler_runs" >/dev/null
  kill "$pid"; wait "$pid" 2>/dev/null || true
  # 2. a fresh JVM: its scheduler takes the current slot at once and enqueues every pair
  start "$label" "$dir" "$zm_port" "$pg_port" "$data" "$work/$label-2.log"
  local jpid; jpid="$(java_pid "$pid")"
  local peak=0 fired="" start_s="" done_s="" now rss
  while :; do
    rss="$(kb "$jpid" VmRSS)"; (( rss > peak )) && peak="$rss"
    now="$(date +%s.%N)"
    if [[ -z "$fired" ]]; then
      fired="$(psql -tA "$b" -c "select messages from scheduler_runs where job = 'ingest_indicators' and messages >= $pairs order by slot limit 1")"
      [[ -n "$fired" ]] && start_s="$now"
    elif [[ "$(psql -tA "$b" -c "select count(distinct symbol) from indicators where symbol like 'Z%'")" -ge "$pairs" ]]; then
      done_s="$now"; break
    fi
    if [[ -n "$start_s" ]] && (( $(echo "$now - $start_s > 1800" | bc) )); then echo "$label: not drained in 30 min" >&2; break; fi
    sleep 0.5
  done
  local hwm; hwm="$(kb "$jpid" VmHWM)"
  local dead; dead="$(psql -tA "$b" -c "select count(*) from pgmq.q_dead_letter")"
  printf '%s %d %d %s %s %s\n' "$label" $((peak / 1024)) $((hwm / 1024)) "$(echo "${done_s:-0} - ${start_s:-0}" | bc | xargs printf '%.0f')" "${fired:-0}" "$dead"
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
