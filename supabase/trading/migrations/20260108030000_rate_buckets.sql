-- A cluster-wide rate limit: one token bucket per key (e.g. 'lens.source:<name>'), shared by every
-- API node because it lives here. rate_take refills the bucket for the time since its last use
-- (p_per_second, up to p_capacity) and takes one token when at least one is there, all in one
-- upsert: concurrent callers queue on the row lock, so the total over all nodes is the limit.
create table if not exists public.rate_buckets (
  bucket text primary key,
  tokens double precision not null,
  updated_at timestamptz not null,
  granted boolean not null
);

create or replace function public.rate_take(p_bucket text, p_capacity double precision, p_per_second double precision,
                                            out granted boolean, out remaining double precision)
language sql
as $$
  insert into public.rate_buckets as b (bucket, tokens, updated_at, granted)
  values (p_bucket, p_capacity - 1, now(), true)
  on conflict (bucket) do update set
    -- a caller that waited on the lock may have a now() older than the last update: never refill backwards
    granted = least(p_capacity, b.tokens + greatest(0, extract(epoch from now() - b.updated_at)) * p_per_second) >= 1,
    tokens = least(p_capacity, b.tokens + greatest(0, extract(epoch from now() - b.updated_at)) * p_per_second)
             - case when least(p_capacity, b.tokens + greatest(0, extract(epoch from now() - b.updated_at)) * p_per_second) >= 1 then 1 else 0 end,
    updated_at = greatest(b.updated_at, now())
  returning b.granted, b.tokens
$$;
