-- For /healthz: per queue, its depth, how many messages are ready for a worker now (vt passed)
-- and how long the oldest of those has been waiting since it became ready (seconds; null when
-- none waits). Messages being worked on or backing off after a failure are not waiting. Reads the
-- queue tables (pgmq.q_<name>), which the real pgmq extension and this project's own
-- implementation lay out alike.
create or replace function public.queue_waiting()
returns table (queue_name text, queue_length bigint, waiting bigint, oldest_wait_sec integer)
language plpgsql
stable
as $fn$
declare
  q record;
begin
  for q in select m.queue_name::text as name from pgmq.meta m order by m.queue_name loop
    return query execute format(
      'select %L::text, count(*), count(*) filter (where vt <= now()),
              extract(epoch from now() - min(vt) filter (where vt <= now()))::integer
         from pgmq.%I',
      q.name, 'q_' || q.name);
  end loop;
end
$fn$;
