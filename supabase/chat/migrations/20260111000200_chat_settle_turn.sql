-- A chat's last two writes in one round trip: chat_settle_turn settles the answer (credit_settle)
-- and, when it charged for it, keeps the turn's question and answer (and a new session's row, its
-- first turn taken) in the same transaction. Before, the router settled and the API node then
-- inserted the messages: two round trips one after the other between the last token and `done`,
-- and a turn that could not be stored after its charge had to be refunded by a third. Now a turn
-- is stored exactly when it is charged: a failure of either undoes both, and nothing is charged.
--
-- Outcomes are credit_settle's; stored says whether the turn's messages are there (for a request
-- settled before, whether that settlement stored them).

create or replace function public.chat_settle_turn(
  p_request_id text, p_user_id uuid, p_charge bigint, p_provider text, p_units jsonb, p_reason text,
  p_session uuid, p_new_session boolean, p_question text, p_answer text)
returns table (outcome text, charged bigint, balance bigint, stored boolean)
language plpgsql
as $$
declare
  s record;
begin
  select * into s from public.credit_settle(p_request_id, p_user_id, p_charge, p_provider, p_units, p_reason);
  if s.outcome = 'settled' and s.charged > 0 then
    if p_new_session then
      insert into public.chat_sessions (id, user_id, turns) values (p_session, p_user_id, 1);
    end if;
    insert into public.chat_messages (session_id, user_id, role, content, request_id)
    values (p_session, p_user_id, 'user', p_question, p_request_id), (p_session, p_user_id, 'assistant', p_answer, p_request_id);
    return query select s.outcome, s.charged, s.balance, true;
    return;
  end if;
  return query select s.outcome, s.charged, s.balance,
    s.outcome = 'already_settled' and exists (select 1 from public.chat_messages m where m.request_id = p_request_id and m.user_id = p_user_id);
end
$$;

revoke all on function public.chat_settle_turn(text, uuid, bigint, text, jsonb, text, uuid, boolean, text, text) from public, anon, authenticated;
grant execute on function public.chat_settle_turn(text, uuid, bigint, text, jsonb, text, uuid, boolean, text, text) to service_role;
