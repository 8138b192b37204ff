// Supabase Edge Function for database B ("trading"): the receiving end of the signed A→B sync,
// the same contract as POST /hooks/watchers-upsert in the Java program (ai.zmarty.sync), for a
// deployment where A's relay posts straight to B's Supabase project:
//
//   supabase functions deploy watchers-upsert --no-verify-jwt --project-ref <B>
//   supabase secrets set WEBHOOK_SECRET=<same as the relay's> --project-ref <B>
//   WEBHOOK_URL=https://<B>.supabase.co/functions/v1/watchers-upsert   (on the relay's nodes)
//
// --no-verify-jwt: the caller proves itself with the HMAC, not a Supabase JWT. SUPABASE_DB_URL is
// provided by the platform. Checks the signature over the raw body, then in one transaction
// records the event id (a repeat is answered "duplicate" and changes nothing), updates watchers
// and enqueues ingest_indicators for a pair nobody watched before.
//
// Tests of the pure parts: deno test supabase/functions/watchers-upsert/

import postgres from "npm:postgres@3.4.5";
import { ID_HEADER, MESSAGES, parseSeconds, SIGNATURE_HEADER, TIMESTAMP_HEADER, verify } from "./verify.ts";
import { InvalidPayload, type Watch, watcherChange } from "./change.ts";

const secret = Deno.env.get("WEBHOOK_SECRET") ?? "";
const tolerance = parseSeconds(Deno.env.get("WEBHOOK_TOLERANCE"), 300);
// prepare: false works through Supavisor's transaction pooler as well as directly.
const sql = postgres(Deno.env.get("SUPABASE_DB_URL") ?? "", { max: 2, prepare: false });

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
const error = (status: number, code: string, message: string) => json(status, { error: code, message });

Deno.serve(async (req) => {
  if (req.method !== "POST") {
    return error(404, "not_found", `no route for ${req.method}`);
  }
  if (secret.length < 32) {
    return error(500, "internal", "WEBHOOK_SECRET is not set (at least 32 characters)");
  }
  const raw = new Uint8Array(await req.arrayBuffer());
  const verdict = await verify(secret, tolerance, req.headers.get(TIMESTAMP_HEADER), req.headers.get(SIGNATURE_HEADER), raw);
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
    const outcome = await sql.begin(async (tx) => {
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
        const [before] = await tx`select exists (select 1 from public.watchers where symbol = ${w.symbol} and timeframe = ${w.timeframe} and active) as active`;
        const on = await tx`insert into public.watchers (user_id, symbol, timeframe, active) values (${w.userId}, ${w.symbol}, ${w.timeframe}, true)
          on conflict (user_id, symbol, timeframe) do update set active = true, updated_at = now() where not public.watchers.active`;
        result.activated = on.count > 0 ? { symbol: w.symbol, timeframe: w.timeframe } : null;
        if (!before.active) {
          const [sent] = await tx`select pgmq.send('ingest_indicators'::text, ${tx.json({ symbol: w.symbol, timeframe: w.timeframe })}::jsonb, 0) as msg_id`;
          result.ingest_msg_id = Number(sent.msg_id);
        }
      }
      return result;
    });
    console.log(JSON.stringify({ event: "sync hook", ...outcome }));
    return json(200, outcome);
  } catch (e) {
    console.error(JSON.stringify({ event: "sync hook failed", event_id: change.eventId, error: String(e) }));
    return error(500, "internal", "could not apply the change");
  }
});
