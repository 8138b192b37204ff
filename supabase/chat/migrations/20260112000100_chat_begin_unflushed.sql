-- chat_begin's transaction no longer waits for its WAL to reach the disk: chat_admit turns
-- synchronous_commit off for the transaction and chat_begin now leaves it off (before, it restored
-- the session's setting because the credit hold is in the same transaction).
--
-- Why the hold may go unflushed: a hold is a reservation, not a movement of credits. If the server
-- crashes before the hold reaches the disk, the hold is gone when it restarts; the request's
-- settlement then finds no hold and charges at most what the user has available minus the holds
-- still there (credit_settle's no-hold path, the one an expired hold takes), and the settlement
-- itself commits synchronously. So nothing is charged twice, no balance goes below zero, and no
-- acknowledged credit movement is lost; what a crash can cost is a moment in which two of one
-- user's concurrent chats each pass the balance check against less reserved than they should.
-- In exchange the first token no longer waits for a WAL flush (bench/gateway/README.md: about
-- 0.45 ms of a chat's two statements on this machine, where database A commits synchronously).
--
-- Same signature, outcomes and behaviour otherwise.

create or replace function public.chat_begin(
  p_request_id text, p_user_id uuid, p_amounts jsonb, p_ttl_seconds double precision,
  p_rate_limit integer, p_window_ms bigint, p_slot uuid, p_node text, p_stream_limit integer, p_lease_ms bigint)
returns table (outcome text, tier text, amount bigint, available bigint, remaining integer, retry_after_ms bigint, reset_ms bigint)
language plpgsql
as $$
declare
  a record;
  r record;
begin
  select * into a from public.chat_admit(p_user_id, p_rate_limit, p_window_ms, p_slot, p_node, p_stream_limit, p_lease_ms);
  if a.outcome <> 'admitted' then
    return query select a.outcome, null::text, null::bigint, null::bigint, a.remaining, a.retry_after_ms, a.reset_ms;
    return;
  end if;
  select * into r from public.credit_reserve(p_request_id, p_user_id, p_amounts, p_ttl_seconds);
  return query select r.outcome, r.tier, r.amount, r.available, a.remaining, a.retry_after_ms, a.reset_ms;
end
$$;
