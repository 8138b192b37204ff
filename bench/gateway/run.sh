#!/usr/bin/env bash
# One command: fake provider + Zmarty (demo node, embedded PostgreSQL) + Portkey gateway, all on
# 127.0.0.1, then client.mjs streams chats at 1/100/500 concurrent through each and prints tables.
# Env: LEVELS=1,100,500  ROUNDS_1=20 ROUNDS_100=5 ROUNDS_500=3  CHUNKS=20 INTERVAL_MS=5  NO_PORTKEY=1
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="$(mktemp -d /tmp/zmarty-bench-gateway.XXXXXX)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
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

# 2. our gateway: a demo node (seeds the demo user), topped up with credits via /admin/credits
zm_port="$(free_port)"
secret="bench-secret-bench-secret-bench-secret-0123"
( cd "$root" && exec env HTTP_PORT="$zm_port" XAI_API_KEY=bench XAI_BASE_URL="http://127.0.0.1:$fake_port/v1" \
    MODEL_PROVIDER=auto RATE_LIMIT_PER_MINUTE=100000 MAX_CONCURRENT_STREAMS=1000 \
    CHAT_MAX_CREDITS_PER_REQUEST=1000000 ZMARTY_DATA_DIR="$work/zmarty-data" JWT_SECRET="$secret" \
    LOG_LEVEL=warn ./zmarty demo ) >"$work/zmarty.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 180); do grep -q 'export TOKEN=' "$work/zmarty.log" && break; sleep 1; done
grep -q 'export TOKEN=' "$work/zmarty.log" || { echo "zmarty did not start:" >&2; tail -40 "$work/zmarty.log" >&2; exit 1; }
user="00000000-0000-4000-8000-00000000d3e0"
token="$(node "$here/mint.mjs" "$secret" "$user" authenticated)"
admin="$(node "$here/mint.mjs" "$secret" "$user" service_role)"
status="$(curl -sS -o "$work/topup.json" -w '%{http_code}' -X POST "http://127.0.0.1:$zm_port/admin/credits" \
  -H "Authorization: Bearer $admin" -H 'content-type: application/json' -H "Idempotency-Key: bench-$$" \
  -d "{\"user_id\":\"$user\",\"amount\":${TOPUP_CREDITS:-10000000},\"reason\":\"bench top-up\"}")"
[[ "$status" == 201 ]] || { echo "credit top-up answered $status: $(cat "$work/topup.json")" >&2; exit 1; }
echo "zmarty gateway :$zm_port (data in $work/zmarty-data)" >&2

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
DIRECT_URL="http://127.0.0.1:$fake_port/v1" ZMARTY_URL="http://127.0.0.1:$zm_port" ZMARTY_TOKEN="$token" \
  PORTKEY_URL="$portkey_url" node "$here/client.mjs"
