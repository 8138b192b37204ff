-- What the admin dashboard shows of the queues and the operator's controls over them.
-- The functions read the queue tables (pgmq.q_<name>, pgmq.a_<name>), which the real pgmq
-- extension and this project's own implementation lay out alike; names come from pgmq.meta or
-- are quoted with %I, never spliced in as text.

-- Queues an operator paused: every poller in the cluster stops reading them until resumed.
create table if not exists public.queue_pauses (
  queue_name text primary key,
  paused_at timestamptz not null default now(),
  paused_by text not null
);

-- Per queue: depth, messages ready now, in flight (read and hidden), delayed (never read, not yet
-- visible), the oldest message's age, messages archived (done) in the last minute, and the
-- queue's total ever sent.
create or replace function public.admin_queue_stats()
returns table (queue_name text, queue_length bigint, waiting bigint, in_flight bigint, delayed bigint,
               oldest_age_sec integer, done_last_minute bigint, total_messages bigint)
language plpgsql
stable
as $fn$
declare
  q record;
begin
  for q in select m.queue_name::text as name from pgmq.meta m order by m.queue_name loop
    return query execute format(
      'select %L::text, count(*), count(*) filter (where vt <= now()),
              count(*) filter (where vt > now() and read_ct > 0),
              count(*) filter (where vt > now() and read_ct = 0),
              coalesce(extract(epoch from now() - min(enqueued_at))::integer, 0),
              (select count(*) from pgmq.%I where archived_at > now() - interval ''60 seconds''),
              (select coalesce(t.total_messages, 0) from pgmq.metrics(%L) t)
         from pgmq.%I',
      q.name, 'a_' || q.name, q.name, 'q_' || q.name);
  end loop;
end
$fn$;

-- The dead-letter queue's messages (as the poller wrote them: {queue, msg_id, read_ct,
-- enqueued_at, failed_at, error, message, headers}), without reading them (no vt change).
create or replace function public.dead_letters(dlq text)
returns table (msg_id bigint, enqueued_at timestamptz, letter jsonb)
language plpgsql
stable
as $fn$
begin
  return query execute format('select msg_id, enqueued_at, message from pgmq.%I', 'q_' || lower(dlq));
end
$fn$;

-- Moves dead letters back into the queue each came from, in one transaction: a letter ends up in
-- exactly one of the two queues. Returns each letter's id, its queue and its new message id.
-- A letter whose queue no longer exists fails the whole call (nothing moves).
create or replace function public.dead_letters_redrive(dlq text, ids bigint[])
returns table (msg_id bigint, queue_name text, new_msg_id bigint)
language plpgsql
as $fn$
declare
  r record;
begin
  for r in execute format('delete from pgmq.%I where msg_id = any($1) returning msg_id, message', 'q_' || lower(dlq)) using ids loop
    msg_id := r.msg_id;
    queue_name := r.message->>'queue';
    select s into new_msg_id from pgmq.send(queue_name, coalesce(r.message->'message', '{}'::jsonb)) s;
    return next;
  end loop;
end
$fn$;
