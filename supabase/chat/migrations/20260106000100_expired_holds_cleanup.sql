-- Expired holds (their node died mid-call) no longer counted against the balance but stayed as
-- rows forever. credit_reserve now deletes the user's expired holds while it holds the user's
-- lock (the index on (user_id, expires_at) finds them), so they go at the user's next chat.
create or replace function public.credit_reserve(
  p_request_id text, p_user_id uuid, p_amounts jsonb, p_ttl_seconds double precision)
returns table (outcome text, tier text, amount bigint, available bigint)
language plpgsql
set search_path = public, pg_temp
as $$
declare
  v_tier text;
  v_amount bigint;
  v_available bigint;
begin
  select p.tier into v_tier from public.profiles p where p.id = p_user_id for update;
  if not found then
    return query select 'no_profile'::text, null::text, null::bigint, null::bigint;
    return;
  end if;
  delete from public.credit_holds h where h.user_id = p_user_id and h.expires_at <= now();
  if exists (select 1 from public.credits_ledger l where l.request_id = p_request_id) then
    return query select 'already_charged'::text, v_tier, null::bigint, null::bigint;
    return;
  end if;
  v_amount := (p_amounts ->> v_tier)::bigint;
  if v_amount is null then
    return query select 'no_budget'::text, v_tier, null::bigint, null::bigint;
    return;
  end if;
  v_available := coalesce((select sum(l.delta) from public.credits_ledger l where l.user_id = p_user_id), 0)
               - coalesce((select sum(h.amount) from public.credit_holds h where h.user_id = p_user_id and h.expires_at > now()), 0);
  if v_available < v_amount then
    return query select 'insufficient'::text, v_tier, v_amount, v_available;
    return;
  end if;
  insert into public.credit_holds (request_id, user_id, amount, expires_at)
  values (p_request_id, p_user_id, v_amount, now() + make_interval(secs => p_ttl_seconds))
  on conflict (request_id) do nothing;
  return query select 'held'::text, v_tier, v_amount, v_available - v_amount;
end
$$;
