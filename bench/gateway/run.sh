#!/usr/bin/env bash
# One command: fake provider + Zmarty (demo node, embedded PostgreSQL) + Portkey gateway, all on
# 127.0.0.1, then client.mjs streams chats at 1/100/500 concurrent through each and prints tables.
# METRICS_AB=1 instead runs two nodes, metrics on and off, interleaved (ab.mjs: AB_STREAMS, AB_ROUNDS, AB_PAIRS;
# AB_FIRST=off, AB_CONTROL=1 below).
# Then stages.mjs prints the node's CPU per chat by stage (STAGE_STREAMS=10 STAGE_ROUNDS=100; STAGES=0 skips it).
# Env: LEVELS=1,100,500  ROUNDS_1=20 ROUNDS_100=5 ROUNDS_500=3  CHUNKS=20 INTERVAL_MS=5  NO_PORTKEY=1  BENCH_USERS=500
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="$(mktemp -d /tmp/zmarty-bench-gateway.XXXXXX)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  for d in "$work"/*/; do [[ -f "$d/zmarty.log" ]] && cp "$d/zmarty.log" "${TMPDIR:-/tmp}/zmarty-bench-gateway-$(basename "$d").log"; done 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
wait_http() { # url, seconds
  for _ in $(seq 1 "$2"); do curl -fs -o /dev/null "$1" && return 0; sleep 1; done
  echo "timed out waiting for $1" >&2; return 1
}

# 1. fake provider
fake_port="$(free_port)"
PORT="$fake_port" CHUNKS="${CHUNKS:-20}" INTERVAL_MS="${INTERVAL_MS:-5}" node "$here/fake-provider.mjs" >"$work/fake.log" 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$fake_port/v1/models" 10
echo "fake provider  :$fake_port (${CHUNKS:-20} chunks, ${INTERVAL_MS:-5} ms apart)" >&2

# 2. our gateway: a demo node on its defaults (rate and stream limits included) with Grok pointed
#    at the fake, plus BENCH_USERS users (pro, 1M credits, watching the demo's two pairs) written
#    straight into its embedded PostgreSQL — one user per concurrent stream, as in production,
#    where MAX_CONCURRENT_STREAMS (3) keeps one user from holding hundreds of streams.
#    start_zmarty NAME [VAR=value…] starts one in $work/NAME and sets zm_port, zm_pid (its JVM),
#    zm_data (its data dir), zm_pg_url (its database A) and zm_tokens (a file of one JWT per user).
users="${BENCH_USERS:-500}"
secret="bench-secret-bench-secret-bench-secret-0123"
start_zmarty() {
  local name="$1"; shift
  local dir="$work/$name" pg_port
  mkdir -p "$dir"
  zm_port="$(free_port)"; pg_port="$(free_port)"; zm_data="$dir/zmarty-data"; zm_tokens="$dir/tokens.txt"
  zm_pg_url="postgresql://postgres@127.0.0.1:$pg_port/zmarty_chat"
  # the subshell execs env, which execs ./zmarty, which execs java: $! is the JVM
  ( cd "$root" && exec env "$@" HTTP_PORT="$zm_port" EMBEDDED_PG_PORT="$pg_port" XAI_API_KEY=bench XAI_BASE_URL="http://127.0.0.1:$fake_port/v1" \
      MODEL_PROVIDER=auto ZMARTY_DATA_DIR="$zm_data" JWT_SECRET="$secret" \
      LOG_LEVEL="${ZMARTY_LOG_LEVEL:-warn}" ./zmarty demo ) >"$dir/zmarty.log" 2>&1 &
  zm_pid=$!
  pids+=("$zm_pid")
  for _ in $(seq 1 180); do grep -q 'export TOKEN=' "$dir/zmarty.log" && break; sleep 1; done
  grep -q 'export TOKEN=' "$dir/zmarty.log" || { echo "zmarty ($name) did not start:" >&2; tail -40 "$dir/zmarty.log" >&2; exit 1; }
  psql -q -v ON_ERROR_STOP=1 -v users="$users" "$zm_pg_url" <<'SQL' >"$dir/seed.log" 2>&1 || { echo "seeding bench users failed:" >&2; cat "$dir/seed.log" >&2; exit 1; }
create temp table bench_users as
  select ('00000000-0000-4000-9000-' || lpad(to_hex(i), 12, '0'))::uuid as id, i from generate_series(1, :users) i;
insert into auth.users (id, email) select id, 'bench' || i || '@zmarty.local' from bench_users on conflict do nothing;
insert into profiles (id, tier) select id, 'pro' from bench_users on conflict do nothing;
insert into credits_ledger (user_id, delta, reason, request_id, units)
  select id, 1000000, 'bench grant', 'bench-grant-' || i, '{}'::jsonb from bench_users on conflict (request_id) do nothing;
insert into user_symbols (user_id, symbol, timeframe)
  select id, p.symbol, '1h' from bench_users, (values ('BTC/USDT'), ('ETH/USDT')) p(symbol) on conflict do nothing;
SQL
  local subs
  subs="$(for i in $(seq 1 "$users"); do printf '00000000-0000-4000-9000-%012x\n' "$i"; done)"
  # shellcheck disable=SC2086
  node "$here/mint.mjs" "$secret" authenticated $subs >"$zm_tokens"
  echo "zmarty ($name) :$zm_port ($users users; data in $zm_data)" >&2
}

# METRICS_AB=1: two nodes, metrics on and off, measured in interleaved slots (ab.mjs); nothing else.
# AB_FIRST=off starts the metrics-off node first; AB_CONTROL=1 runs metrics on in both (an A/A run:
# what the bench reports then is its own bias and noise, with nothing to find).
if [[ -n "${METRICS_AB:-}" ]]; then
  off_value=$([[ -n "${AB_CONTROL:-}" ]] && echo true || echo false)
  for side in $([[ "${AB_FIRST:-on}" == off ]] && echo "off on" || echo "on off"); do
    if [[ $side == on ]]; then
      start_zmarty metrics-on METRICS_ENABLED=true
      on_port="$zm_port" on_pid="$zm_pid" on_data="$zm_data" on_tokens="$zm_tokens"
    else
      start_zmarty metrics-off METRICS_ENABLED="$off_value"
      off_port="$zm_port" off_pid="$zm_pid" off_data="$zm_data" off_tokens="$zm_tokens"
    fi
  done
  AB_ON_URL="http://127.0.0.1:$on_port" AB_ON_JVM="$on_pid" AB_ON_PGDATA="$on_data/postgres" AB_ON_TOKENS="$on_tokens" \
    AB_OFF_URL="http://127.0.0.1:$off_port" AB_OFF_JVM="$off_pid" AB_OFF_PGDATA="$off_data/postgres" AB_OFF_TOKENS="$off_tokens" \
    node "$here/ab.mjs"
  exit $?
fi

start_zmarty zmarty
# 3. Portkey gateway (npm @portkey-ai/gateway), upstream chosen per request by headers
portkey_url=""
if [[ -z "${NO_PORTKEY:-}" ]]; then
  if [[ ! -f "$here/node_modules/@portkey-ai/gateway/build/start-server.js" ]]; then
    (cd "$here" && npm install --no-audit --no-fund --silent) || echo "npm install of Portkey failed" >&2
  fi
  if [[ -f "$here/node_modules/@portkey-ai/gateway/build/start-server.js" ]]; then
    pk_port="$(free_port)"
    node --import "$here/portkey-fetch-shim.mjs" "$here/node_modules/@portkey-ai/gateway/build/start-server.js" --port="$pk_port" --headless >"$work/portkey.log" 2>&1 &
    pids+=($!)
    for _ in $(seq 1 30); do curl -s -o /dev/null "http://127.0.0.1:$pk_port/" && break; sleep 1; done
    portkey_url="http://127.0.0.1:$pk_port/v1"
    echo "portkey        :$pk_port" >&2
  fi
fi

# 4. measure
DIRECT_URL="http://127.0.0.1:$fake_port/v1" ZMARTY_URL="http://127.0.0.1:$zm_port" \
  ZMARTY_PGREP="${ZMARTY_PGREP:-zmarty.jar|$zm_data/postgres|postgres: }" PORTKEY_PGREP="${pk_port:+start-server.js --port=$pk_port}" \
  PORTKEY_URL="$portkey_url" ZMARTY_TOKENS_FILE="$zm_tokens" ZMARTY_JVM="$zm_pid" node "$here/client.mjs"

# 5. CPU per chat by stage (STAGES=0 skips it): JFR's CPU-time sampler on the node and PostgreSQL's
#    function timing, switched on only now, so the figures above carry neither
if [[ "${STAGES:-1}" != 0 ]]; then
  ZMARTY_URL="http://127.0.0.1:$zm_port" ZMARTY_TOKENS_FILE="$zm_tokens" ZMARTY_JVM="$zm_pid" ZMARTY_PGDATA="$zm_data/postgres" \
    ZMARTY_PG_URL="$zm_pg_url" JAVA_HOME="$("$root/zmarty" --print-jdk)" WORK="$work" node "$here/stages.mjs"
fi
