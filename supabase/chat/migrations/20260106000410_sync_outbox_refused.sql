-- A delivery the receiver refused as malformed (400 or 422: a payload it will never accept) is not
-- retried: it is marked refused, with the answer in last_error, and no longer holds back later
-- changes to the same source row. Other failures (401, 404, 5xx, timeouts) are still retried.
alter table public.sync_outbox add column if not exists refused_at timestamptz;
