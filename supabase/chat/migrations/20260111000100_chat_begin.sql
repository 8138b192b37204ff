-- A chat's two checks before its model call in one round trip: chat_begin runs the per-user limits
-- (chat_admit) and, when they admit the request, the credit hold (credit_reserve), in one
-- transaction. Before, the API node called chat_admit and the router then called credit_reserve:
-- two round trips one after the other on the way to the first token.
--
-- The transaction commits as credit_reserve's did on its own (synchronous_commit as the session
-- has it): chat_admit turns the flush off for its transaction, and chat_begin turns it back, since
-- the hold is in it. A refused request holds nothing and counts against nothing, as before.
--
-- chat_admit changes in two ways, neither visible to its callers so far: a stream slot already
-- there under the request's own id does not count against the request, and taking the slot
-- refreshes that row instead of failing on it. The API node renews the slots it holds every third
-- of their lease, and a chat's slot is held (so renewed) from the moment the request arrives; a
-- renewal that runs before chat_begin has written the slot row first.

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
    select count(*) into v_open from public.chat_stream_slots s where s.user_id = p_user and s.slot_id <> p_slot;
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
    values (p_slot, p_user, p_node, clock_timestamp() + make_interval(secs => p_lease_ms / 1000.0))
    on conflict (slot_id) do update set expires_at = excluded.expires_at, node = excluded.node;
  end if;
  return query select 'admitted'::text, p_rate_limit - v_count - 1, 0::bigint, p_window_ms;
end
$$;

-- Outcomes: those of chat_admit when it refuses (rate_limited | streams_full: tier, amount and
-- available null), else those of credit_reserve (held | insufficient | no_budget | already_charged
-- | no_profile) with chat_admit's remaining, retry_after_ms and reset_ms. Only 'held' leaves a hold;
-- any other outcome after the admission leaves the request counted and its slot taken, as a chat
-- refused after chat_admit did before: the caller gives the slot back.
create or replace function public.chat_begin(
  p_request_id text, p_user_id uuid, p_amounts jsonb, p_ttl_seconds double precision,
  p_rate_limit integer, p_window_ms bigint, p_slot uuid, p_node text, p_stream_limit integer, p_lease_ms bigint)
returns table (outcome text, tier text, amount bigint, available bigint, remaining integer, retry_after_ms bigint, reset_ms bigint)
language plpgsql
as $$
declare
  v_sync text := current_setting('synchronous_commit');
  a record;
  r record;
begin
  select * into a from public.chat_admit(p_user_id, p_rate_limit, p_window_ms, p_slot, p_node, p_stream_limit, p_lease_ms);
  perform set_config('synchronous_commit', v_sync, true);
  if a.outcome <> 'admitted' then
    return query select a.outcome, null::text, null::bigint, null::bigint, a.remaining, a.retry_after_ms, a.reset_ms;
    return;
  end if;
  select * into r from public.credit_reserve(p_request_id, p_user_id, p_amounts, p_ttl_seconds);
  return query select r.outcome, r.tier, r.amount, r.available, a.remaining, a.retry_after_ms, a.reset_ms;
end
$$;

revoke all on function public.chat_begin(text, uuid, jsonb, double precision, integer, bigint, uuid, text, integer, bigint) from public, anon, authenticated;
grant execute on function public.chat_begin(text, uuid, jsonb, double precision, integer, bigint, uuid, text, integer, bigint) to service_role;
