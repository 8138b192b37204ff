// The receiving end of the signed A→B sync as a request handler: the same contract and the same
// SQL as the Java ai.zmarty.sync.WatchersUpsertHook. index.ts serves it; handler_test.ts runs the
// shared test vectors (testdata/vectors.json) through it against a real PostgreSQL.
import type { Sql } from "npm:postgres@3.4.5";
import { ID_HEADER, MESSAGES, SIGNATURE_HEADER, TIMESTAMP_HEADER, verify } from "./verify.ts";
import { InvalidPayload, type Watch, watcherChange } from "./change.ts";

export interface HandlerOptions {
  /** The HMAC key shared with A's relay (at least 32 characters). */
  secret: string;
  /** How far the timestamp header may be from this clock, in seconds. */
  toleranceSeconds: number;
  sql: Sql;
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
const error = (status: number, code: string, message: string) => json(status, { error: code, message });

export function createHandler({ secret, toleranceSeconds, sql }: HandlerOptions): (req: Request) => Promise<Response> {
  return async (req) => {
    if (req.method !== "POST") {
      return error(404, "not_found", `no route for ${req.method}`);
    }
    if (secret.length < 32) {
      return error(500, "internal", "WEBHOOK_SECRET is not set (at least 32 characters)");
    }
    const raw = new Uint8Array(await req.arrayBuffer());
    const verdict = await verify(secret, toleranceSeconds, req.headers.get(TIMESTAMP_HEADER), req.headers.get(SIGNATURE_HEADER), raw);
    if (verdict !== "valid") {
      console.warn(JSON.stringify({ event: "sync hook refused", webhook_id: req.headers.get(ID_HEADER), reason: verdict }));
      return error(401, "unauthorized", MESSAGES[verdict]);
    }
    let change;
    try {
      change = watcherChange(JSON.parse(new TextDecoder().decode(raw)));
    } catch (e) {
      return error(400, "bad_request", e instanceof InvalidPayload ? e.message : "body is not a JSON object");
    }
    const idHeader = req.headers.get(ID_HEADER);
    if (idHeader && idHeader.toLowerCase() !== change.eventId) {
      return error(400, "bad_request", `${ID_HEADER} does not match the body's event_id`);
    }
    try {
      const outcome = await sql.begin((tx) => apply(tx, change));
      console.log(JSON.stringify({ event: "sync hook", ...outcome }));
      return json(200, outcome);
    } catch (e) {
      console.error(JSON.stringify({ event: "sync hook failed", event_id: change.eventId, error: String(e) }));
      return error(500, "internal", "could not apply the change");
    }
  };
}

type Change = ReturnType<typeof watcherChange>;

async function apply(tx: Sql, change: Change): Promise<Record<string, unknown>> {
  const recorded = await tx`insert into public.sync_deliveries (event_id) values (${change.eventId}) on conflict do nothing returning event_id`;
  if (recorded.length === 0) {
    return { status: "duplicate", event_id: change.eventId };
  }
  const result: Record<string, unknown> = { status: "applied", event_id: change.eventId, type: change.type };
  // Pair locks in one order, so two deliveries touching the same pairs cannot deadlock.
  const pairs = [change.deactivate, change.activate].filter((w): w is Watch => w !== null)
    .sort((a, b) => a.symbol.localeCompare(b.symbol) || a.timeframe.localeCompare(b.timeframe));
  for (const w of pairs) {
    await tx`select pg_advisory_xact_lock(hashtextextended('watchers:' || ${w.symbol}::text || ' ' || ${w.timeframe}::text, 0))`;
  }
  if (change.deactivate) {
    const w = change.deactivate;
    const off = await tx`update public.watchers set active = false, updated_at = now()
      where user_id = ${w.userId} and symbol = ${w.symbol} and timeframe = ${w.timeframe} and active`;
    result.deactivated = off.count > 0 ? { symbol: w.symbol, timeframe: w.timeframe } : null;
  }
  if (change.activate) {
    const w = change.activate;
    // Watched now means: some watcher active and not paused (what the scheduler enqueues).
    const [before] = await tx`select exists (select 1 from public.watchers where symbol = ${w.symbol}
      and timeframe = ${w.timeframe} and active and paused_at is null) as active`;
    // Adding a pair again resumes it for everyone after dead letters paused it.
    const resumed = await tx`update public.watchers set paused_at = null, pause_reason = null, dead_letters = 0, updated_at = now()
      where symbol = ${w.symbol} and timeframe = ${w.timeframe} and (paused_at is not null or dead_letters > 0)`;
    if (resumed.count > 0) {
      result.resumed = resumed.count;
    }
    const on = await tx`insert into public.watchers (user_id, symbol, timeframe, active) values (${w.userId}, ${w.symbol}, ${w.timeframe}, true)
      on conflict (user_id, symbol, timeframe) do update set active = true, updated_at = now()
      where not public.watchers.active or public.watchers.paused_at is not null`;
    result.activated = on.count > 0 ? { symbol: w.symbol, timeframe: w.timeframe } : null;
    if (!before.active) {
      // A pair nobody watched: ingest now rather than at the next scheduled run.
      const [sent] = await tx`select pgmq.send('ingest_indicators'::text, ${tx.json({ symbol: w.symbol, timeframe: w.timeframe })}::jsonb, 0) as msg_id`;
      result.ingest_msg_id = Number(sent.msg_id);
    }
  }
  return result;
}
