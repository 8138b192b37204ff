// The receiver's shared test vectors (testdata/vectors.json, also run against the Java receiver by
// WatchersUpsertVectorsTest) through this function's handler and a real, migrated database B named
// by ZMARTY_TEST_TRADING_URL (./zmarty test starts one and sets it: EdgeFunctionDenoTest). Without
// that variable the test is reported as ignored, never as passed.
import { deepStrictEqual as assertEquals } from "node:assert";
import postgres from "npm:postgres@3.4.5";
import { createHandler } from "./handler.ts";
import { ID_HEADER, sign, SIGNATURE_HEADER, TIMESTAMP_HEADER } from "./verify.ts";

const url = Deno.env.get("ZMARTY_TEST_TRADING_URL");
const vectors = JSON.parse(await Deno.readTextFile(new URL("./testdata/vectors.json", import.meta.url)));

type Json = Record<string, unknown>;

function timestamp(spec: string): string | null {
  const now = Math.floor(Date.now() / 1000);
  if (spec === "missing") return null;
  if (spec === "now") return String(now);
  const m = /^now([+-])(\d+)$/.exec(spec);
  if (m) return String(m[1] === "-" ? now - Number(m[2]) : now + Number(m[2]));
  return spec;
}

async function request(secret: string, r: Json): Promise<Request> {
  const text = typeof r.body_raw === "string" ? r.body_raw : JSON.stringify(r.body);
  const body = new TextEncoder().encode(text);
  const ts = timestamp((r.timestamp as string) ?? "now");
  const headers = new Headers({ "content-type": "application/json" });
  const signWith = async (key: string, bytes: Uint8Array) => await sign(key, ts ?? "0", bytes);
  let signature: string | null;
  switch ((r.signature as string) ?? "valid") {
    case "valid":
      signature = await signWith(secret, body);
      break;
    case "tampered":
      signature = await signWith(secret, new TextEncoder().encode(text + " "));
      break;
    case "other-secret":
      signature = await signWith("another-secret-another-secret-0000000", body);
      break;
    default:
      signature = null;
  }
  if (ts !== null) headers.set(TIMESTAMP_HEADER, ts);
  if (signature !== null) headers.set(SIGNATURE_HEADER, signature);
  if (typeof r.webhook_id === "string") {
    headers.set(ID_HEADER, r.webhook_id === "event" ? String((r.body as Json).event_id) : r.webhook_id);
  }
  return new Request("http://edge.local/watchers-upsert", { method: "POST", headers, body });
}

/** The expected body against the actual one: same keys and values, "$number" for any integer. */
function matches(expected: unknown, actual: unknown): boolean {
  if (expected === "$number") return Number.isInteger(actual);
  if (expected !== null && typeof expected === "object") {
    if (actual === null || typeof actual !== "object") return false;
    const e = expected as Json, a = actual as Json;
    const keys = Object.keys(e).sort();
    return JSON.stringify(keys) === JSON.stringify(Object.keys(a).sort()) && keys.every((k) => matches(e[k], a[k]));
  }
  return expected === actual;
}

Deno.test({
  name: "every shared vector gets the Java receiver's answer and leaves its rows",
  ignore: !url,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const sql = postgres(url!, { max: 2, prepare: false, onnotice: () => {} });
    const handle = createHandler({ secret: vectors.secret, toleranceSeconds: vectors.tolerance_seconds, sql });
    const failures: string[] = [];
    try {
      for (const vector of vectors.cases) {
        await sql.unsafe("truncate public.watchers, public.sync_deliveries; delete from pgmq.q_ingest_indicators");
        for (const statement of vector.setup ?? []) await sql.unsafe(statement);
        let n = 0;
        for (const step of vector.steps) {
          const res = await handle(await request(vectors.secret, step.request));
          const body = await res.json();
          const where = `${vector.name}, step ${++n}`;
          if (res.status !== step.expect.status) failures.push(`${where}: status ${res.status} ${JSON.stringify(body)}, expected ${step.expect.status}`);
          else if (!matches(step.expect.body, body)) failures.push(`${where}: body ${JSON.stringify(body)}, expected ${JSON.stringify(step.expect.body)}`);
        }
        const watchers = (await sql.unsafe(`select user_id || ' ' || symbol || ' ' || timeframe || ' ' || case when active then 'active' else 'inactive' end
          || case when paused_at is not null then ' paused' else '' end as w from public.watchers order by 1`)).map((r) => r.w);
        if (JSON.stringify(watchers) !== JSON.stringify(vector.rows.watchers)) failures.push(`${vector.name}: watchers ${JSON.stringify(watchers)}, expected ${JSON.stringify(vector.rows.watchers)}`);
        const [{ n: deliveries }] = await sql.unsafe("select count(*)::int as n from public.sync_deliveries");
        if (deliveries !== vector.rows.deliveries) failures.push(`${vector.name}: ${deliveries} deliveries, expected ${vector.rows.deliveries}`);
        const ingest = (await sql.unsafe("select message from pgmq.q_ingest_indicators order by msg_id")).map((r) => r.message);
        if (!matches(vector.rows.ingest, ingest)) {
          failures.push(`${vector.name}: ingest ${JSON.stringify(ingest)}, expected ${JSON.stringify(vector.rows.ingest)}`);
        }
      }
    } finally {
      await sql.end();
    }
    console.log(`${vectors.cases.length} vectors run`);
    assertEquals(failures, []);
  },
});
