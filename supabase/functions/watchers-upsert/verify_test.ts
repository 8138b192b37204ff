import { deepStrictEqual as assertEquals } from "node:assert";
import { parseSeconds, sign, verify } from "./verify.ts";
import { InvalidPayload, watcherChange } from "./change.ts";

const SECRET = "0123456789abcdef0123456789abcdef";
const TS = "1767348000";
const BODY = new TextEncoder().encode('{"type": "INSERT", "table": "user_symbols"}');
const NOW = 1767348000;

Deno.test("signs exactly like the Java relay (shared test vector)", async () => {
  assertEquals(await sign(SECRET, TS, BODY), "0e7c01e7037e3afa7779669d5ebf98a0954d0eb6f60cae48828fbf3a5c686f43");
});

Deno.test("accepts a valid signature, refuses tampering, strangers, stale and future", async () => {
  const sig = await sign(SECRET, TS, BODY);
  assertEquals(await verify(SECRET, 300, TS, sig, BODY, NOW), "valid");
  assertEquals(await verify(SECRET, 300, TS, sig.toUpperCase(), BODY, NOW), "valid");
  assertEquals(await verify(SECRET, 300, TS, sig, new TextEncoder().encode('{"type": "DELETE", "table": "user_symbols"}'), NOW), "bad_signature");
  assertEquals(await verify(SECRET, 300, TS, await sign("another-secret-another-secret-000", TS, BODY), BODY, NOW), "bad_signature");
  const old = String(NOW - 301);
  assertEquals(await verify(SECRET, 300, old, await sign(SECRET, old, BODY), BODY, NOW), "too_old");
  const ahead = String(NOW + 301);
  assertEquals(await verify(SECRET, 300, ahead, await sign(SECRET, ahead, BODY), BODY, NOW), "too_new");
  assertEquals(await verify(SECRET, 300, null, sig, BODY, NOW), "missing_headers");
  assertEquals(await verify(SECRET, 300, "yesterday", sig, BODY, NOW), "bad_timestamp");
  assertEquals(await verify(SECRET, 300, TS, "not-hex", BODY, NOW), "bad_signature");
});

Deno.test("tolerance is written like the Java config", () => {
  assertEquals(parseSeconds("300s", 1), 300);
  assertEquals(parseSeconds("5m", 1), 300);
  assertEquals(parseSeconds("120", 1), 120);
  assertEquals(parseSeconds(undefined, 300), 300);
});

Deno.test("payload rules match the Java receiver", () => {
  const user = "6f1c1b0e-6a4e-4c1e-9d52-2f1a0c3b7d11";
  const row = (timeframe: string) => ({ id: 1, user_id: user, symbol: "BTC/USDT", timeframe });
  const base = { event_id: "0b9c6f0e-1a2b-4c3d-8e9f-0a1b2c3d4e5f", table: "user_symbols", schema: "public" };
  assertEquals(watcherChange({ ...base, type: "INSERT", record: row("1h"), old_record: null }).activate?.timeframe, "1h");
  const moved = watcherChange({ ...base, type: "UPDATE", record: row("4h"), old_record: row("1h") });
  assertEquals([moved.deactivate?.timeframe, moved.activate?.timeframe], ["1h", "4h"]);
  assertEquals(watcherChange({ ...base, type: "UPDATE", record: row("1h"), old_record: row("1h") }).deactivate, null);
  assertEquals(watcherChange({ ...base, type: "DELETE", record: null, old_record: row("1h") }).activate, null);
  let refused = false;
  try {
    watcherChange({ ...base, type: "INSERT", record: null });
  } catch (e) {
    refused = e instanceof InvalidPayload;
  }
  assertEquals(refused, true);
});
