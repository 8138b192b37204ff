-- The chat's per-user limits, shared by every API node because they live here (database A, next
-- to the user's holds and ledger), each check one round trip:
--   * RATE_LIMIT_PER_MINUTE: a sliding window per user at one-second resolution. chat_rate_windows
--     keeps, per second in which requests were granted, how many and the time of the newest (at most
--     61 seconds' worth, whatever the limit); a second's requests leave the window when the newest of
--     them is the window old: no 60 s ever holds more than the limit, however many nodes take the
--     requests; a request may wait up to a second longer than an exact count would make it.
--   * MAX_CONCURRENT_STREAMS: one row per answer streaming now (chat_stream_slots), leased: the
--     node that holds it renews expires_at while the answer runs and deletes the row when it ends;
--     a slot whose node died stops counting when its lease lapses, and is deleted at the user's
--     next chat.
-- chat_admit locks the user's window row first (created on first use), so one user's checks run
-- one at a time whichever node makes them; in PL/pgSQL each later statement takes a fresh snapshot
-- and sees what the previous lock holder committed. A refused request counts against nothing.
--
-- Every write here commits without waiting for its WAL flush (synchronous_commit off for that
-- transaction only): a check costs one round trip, not a disk flush. A database crash may forget
-- the last fraction of a second of hits and slots: a user may then get that many requests more,
-- and a running answer's slot is written again by its node's next renewal.
--
-- Outcomes: admitted | rate_limited | streams_full. retry_after_ms: until the next request would
-- pass the rate limit (0 when it would now); reset_ms: until the whole limit is free again.

create table if not exists public.chat_rate_windows (
  user_id uuid primary key,
  lasts bigint[] not null,  -- per second with granted requests, oldest first: the newest one's epoch ms
  counts integer[] not null -- how many in that second
);

create table if not exists public.chat_stream_slots (
  slot_id uuid primary key,
  user_id uuid not null,
  node text not null,
  expires_at timestamptz not null
);
create index if not exists chat_stream_slots_user on public.chat_stream_slots (user_id, expires_at);

-- service-side bookkeeping: not for the browser's roles (Supabase exposes public tables and functions)
alter table public.chat_rate_windows enable row level security;
alter table public.chat_stream_slots enable row level security;
revoke all on public.chat_rate_windows from public, anon, authenticated;
revoke all on public.chat_stream_slots from public, anon, authenticated;
grant all on public.chat_rate_windows to service_role;
grant all on public.chat_stream_slots to service_role;

create or replace function public.chat_admit(
  p_user uuid, p_rate_limit integer, p_window_ms bigint,
  p_slot uuid, p_node text, p_stream_limit integer, p_lease_ms bigint)
returns table (outcome text, remaining integer, retry_after_ms bigint, reset_ms bigint)
language plpgsql
set search_path = public, pg_temp
as $$
declare
  v_lasts bigint[];
  v_counts integer[];
  v_keep_lasts bigint[] := '{}';
  v_keep_counts integer[] := '{}';
  v_now bigint;
  v_count integer := 0;
  v_freed integer := 0;
  v_retry bigint := 0;
  v_reset bigint := 0;
  v_open integer;
  n integer;
begin
  perform set_config('synchronous_commit', 'off', true);
  insert into public.chat_rate_windows (user_id, lasts, counts) values (p_user, '{}', '{}') on conflict (user_id) do nothing;
  select w.lasts, w.counts into v_lasts, v_counts from public.chat_rate_windows w where w.user_id = p_user for update;
  -- read after the lock: a caller that waited must not count in the past of the one before it
  v_now := floor(extract(epoch from clock_timestamp()) * 1000)::bigint;
  for i in 1 .. coalesce(array_length(v_lasts, 1), 0) loop
    if v_lasts[i] + p_window_ms > v_now then
      v_keep_lasts := v_keep_lasts || v_lasts[i];
      v_keep_counts := v_keep_counts || v_counts[i];
      v_count := v_count + v_counts[i];
    end if;
  end loop;
  n := coalesce(array_length(v_keep_lasts, 1), 0);
  if n > 0 then
    v_reset := v_keep_lasts[n] + p_window_ms - v_now;
  end if;
  if v_count >= p_rate_limit then
    -- the oldest seconds must leave until one more request fits
    for i in 1 .. n loop
      v_freed := v_freed + v_keep_counts[i];
      if v_count - v_freed < p_rate_limit then
        v_retry := v_keep_lasts[i] + p_window_ms - v_now;
        exit;
      end if;
    end loop;
  end if;
  if p_slot is not null then
    delete from public.chat_stream_slots s where s.user_id = p_user and s.expires_at <= clock_timestamp();
    select count(*) into v_open from public.chat_stream_slots s where s.user_id = p_user;
    if v_open >= p_stream_limit then
      update public.chat_rate_windows set lasts = v_keep_lasts, counts = v_keep_counts where user_id = p_user;
      return query select 'streams_full'::text, greatest(0, p_rate_limit - v_count), v_retry, v_reset;
      return;
    end if;
  end if;
  if v_retry > 0 then
    update public.chat_rate_windows set lasts = v_keep_lasts, counts = v_keep_counts where user_id = p_user;
    return query select 'rate_limited'::text, 0, v_retry, v_reset;
    return;
  end if;
  if n > 0 and v_keep_lasts[n] / 1000 = v_now / 1000 then
    v_keep_lasts[n] := v_now;
    v_keep_counts[n] := v_keep_counts[n] + 1;
  else
    v_keep_lasts := v_keep_lasts || v_now;
    v_keep_counts := v_keep_counts || 1;
  end if;
  update public.chat_rate_windows set lasts = v_keep_lasts, counts = v_keep_counts where user_id = p_user;
  if p_slot is not null then
    insert into public.chat_stream_slots (slot_id, user_id, node, expires_at)
    values (p_slot, p_user, p_node, clock_timestamp() + make_interval(secs => p_lease_ms / 1000.0));
  end if;
  return query select 'admitted'::text, p_rate_limit - v_count - 1, 0::bigint, p_window_ms;
end
$$;

revoke all on function public.chat_admit(uuid, integer, bigint, uuid, text, integer, bigint) from public, anon, authenticated;
grant execute on function public.chat_admit(uuid, integer, bigint, uuid, text, integer, bigint) to service_role;

-- The node that holds slots p_slots (of users p_users) renews their leases; a slot an outage let
-- lapse (its row gone) is taken again, since its answer still runs.
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
  on conflict (slot_id) do update set expires_at = excluded.expires_at;
end
$$;

-- The answers on slots p_slots ended.
create or replace function public.chat_release(p_slots uuid[])
returns void
language plpgsql
set search_path = public, pg_temp
as $$
begin
  perform set_config('synchronous_commit', 'off', true);
  delete from public.chat_stream_slots s where s.slot_id = any(p_slots);
end
$$;

revoke all on function public.chat_renew(uuid[], uuid[], text, bigint) from public, anon, authenticated;
revoke all on function public.chat_release(uuid[]) from public, anon, authenticated;
grant execute on function public.chat_renew(uuid[], uuid[], text, bigint) to service_role;
grant execute on function public.chat_release(uuid[]) to service_role;
