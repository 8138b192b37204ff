-- A send wakes the pollers at once: every insert into a queue table (pgmq.send, send_batch, a
-- dead letter, a redrive) notifies channel pgmq_insert with the queue's table suffix (its name in
-- lower case), once per statement, delivered when the sender commits. The pollers LISTEN on it
-- and read at once instead of waiting out their idle poll; the idle poll stays as the fallback
-- for a missed notification (a poller reconnecting, a message whose delay just ran out).
-- Works alike on the real pgmq extension and this project's implementation: both keep a queue in
-- pgmq.q_<name>. Names come from pgmq.meta or are quoted with %I, never spliced in as text.

create or replace function public.queue_notify_insert()
returns trigger
language plpgsql
as $fn$
begin
  -- tg_table_name is q_<name>; within one transaction PostgreSQL folds identical notifications
  perform pg_notify('pgmq_insert', substr(tg_table_name, 3));
  return null;
end
$fn$;

-- Puts the trigger on queue_name's table unless it is there; false when there is no such queue.
-- Idempotent (two pollers starting together both end with the one trigger) and cheap when the
-- trigger exists (no lock taken), so a poller calls it at start for
-- the queues it reads (a queue created after this migration gets it then).
create or replace function public.queue_enable_notify(queue_name text)
returns boolean
language plpgsql
as $fn$
declare
  qtable text := lower('q_' || queue_name);
begin
  if to_regclass(format('pgmq.%I', qtable)) is null then
    return false;
  end if;
  if not exists (select 1 from pg_trigger t where t.tgrelid = format('pgmq.%I', qtable)::regclass and t.tgname = 'queue_notify_insert') then
    execute format('create or replace trigger queue_notify_insert after insert on pgmq.%I for each statement execute function public.queue_notify_insert()', qtable);
  end if;
  return true;
end
$fn$;

select public.queue_enable_notify(m.queue_name) from pgmq.meta m;
