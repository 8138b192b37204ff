-- A chat's last two writes in one round trip: chat_settle_turn settles the answer (credit_settle)
-- and, when it charged for it, keeps the turn's question and answer (and a new session's row, its
-- first turn taken) in the same transaction. Before, the router settled and the API node then
-- inserted the messages: two round trips one after the other between the last token and `done`,
-- and a turn that could not be stored after its charge had to be refunded by a third. Now a turn
-- is stored exactly when it is charged: a failure of either undoes both, and nothing is charged.
--
-- It also ends the answer's stream slot (p_slot, when the API node holds one): the slot's row is
-- marked ended (expires_at -infinity) rather than deleted, so a renewal by the node that still
-- holds it for a moment does not bring it back (chat_renew below no longer revives an ended row;
-- it still re-inserts a row that is gone), and chat_admit deletes it at the user's next chat, as
-- any lapsed slot. The node then forgets the slot without a statement of its own: per chat, one
-- round trip fewer again.
--
-- Outcomes are credit_settle's; stored says whether the turn's messages are there (for a request
-- settled before, whether that settlement stored them); slot_ended whether p_slot was ended here.

create or replace function public.chat_settle_turn(
  p_request_id text, p_user_id uuid, p_charge bigint, p_provider text, p_units jsonb, p_reason text,
  p_session uuid, p_new_session boolean, p_question text, p_answer text, p_slot uuid)
returns table (outcome text, charged bigint, balance bigint, stored boolean, slot_ended boolean)
language plpgsql
as $$
declare
  s record;
  v_ended boolean := false;
begin
  select * into s from public.credit_settle(p_request_id, p_user_id, p_charge, p_provider, p_units, p_reason);
  if p_slot is not null then
    update public.chat_stream_slots c set expires_at = '-infinity' where c.slot_id = p_slot and c.user_id = p_user_id;
    v_ended := true;
  end if;
  if s.outcome = 'settled' and s.charged > 0 then
    if p_new_session then
      insert into public.chat_sessions (id, user_id, turns) values (p_session, p_user_id, 1);
    end if;
    insert into public.chat_messages (session_id, user_id, role, content, request_id)
    values (p_session, p_user_id, 'user', p_question, p_request_id), (p_session, p_user_id, 'assistant', p_answer, p_request_id);
    return query select s.outcome, s.charged, s.balance, true, v_ended;
    return;
  end if;
  return query select s.outcome, s.charged, s.balance,
    s.outcome = 'already_settled' and exists (select 1 from public.chat_messages m where m.request_id = p_request_id and m.user_id = p_user_id), v_ended;
end
$$;

revoke all on function public.chat_settle_turn(text, uuid, bigint, text, jsonb, text, uuid, boolean, text, text, uuid) from public, anon, authenticated;
grant execute on function public.chat_settle_turn(text, uuid, bigint, text, jsonb, text, uuid, boolean, text, text, uuid) to service_role;

-- A renewal re-inserts a slot whose row is gone (an outage let it lapse and a chat deleted it)
-- but does not revive one its answer's settlement ended.
create or replace function public.chat_renew(p_slots uuid[], p_users uuid[], p_node text, p_lease_ms bigint)
returns void
language plpgsql
set search_path = public, pg_temp
as $$
begin
  perform set_config('synchronous_commit', 'off', true);
  insert into public.chat_stream_slots (slot_id, user_id, node, expires_at)
  select s, u, p_node, clock_timestamp() + make_interval(secs => p_lease_ms / 1000.0)
  from unnest(p_slots, p_users) as t(s, u)
  on conflict (slot_id) do update set expires_at = excluded.expires_at
  where chat_stream_slots.expires_at <> '-infinity';
end
$$;
