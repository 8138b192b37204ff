// Supabase Edge Function for database B ("trading"): the receiving end of the signed A→B sync,
// the same contract as POST /hooks/watchers-upsert in the Java program (ai.zmarty.sync), for a
// deployment where A's relay posts straight to B's Supabase project (deploy: see the README,
// "Supabase"; config: supabase/trading/supabase/config.toml sets verify_jwt = false, because the
// caller proves itself with the HMAC, not a Supabase JWT). SUPABASE_DB_URL is provided by the
// platform; WEBHOOK_SECRET is set with `supabase secrets set`.
//
// Checks the signature over the raw body, then in one transaction records the event id (a repeat
// is answered "duplicate" and changes nothing), updates watchers and enqueues ingest_indicators
// for a pair nobody watched before (handler.ts).
//
// Tests: deno test --allow-env --allow-net --allow-read supabase/functions/watchers-upsert/
// (handler_test.ts needs ZMARTY_TEST_TRADING_URL, a migrated database B; ./zmarty test sets it).
import postgres from "npm:postgres@3.4.5";
import { parseSeconds } from "./verify.ts";
import { createHandler } from "./handler.ts";

Deno.serve(createHandler({
  secret: Deno.env.get("WEBHOOK_SECRET") ?? "",
  toleranceSeconds: parseSeconds(Deno.env.get("WEBHOOK_TOLERANCE"), 300),
  // prepare: false works through Supavisor's transaction pooler as well as directly.
  sql: postgres(Deno.env.get("SUPABASE_DB_URL") ?? "", { max: 2, prepare: false }),
}));
