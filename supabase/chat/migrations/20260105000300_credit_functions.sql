-- Reserve and settle, each in one round trip. Both lock the user's profile row first, so one
-- user's credit changes happen one at a time, then read the ledger and holds in statements of
-- their own: in a PL/pgSQL function each statement takes a fresh snapshot, so after waiting for
-- the lock they see everything the previous holder committed (a single SQL statement could not:
-- its snapshot predates the wait). Pricing stays in the application: it passes the worst case
-- for each tier and the function picks the one of the locked row's tier.
--
-- Outcomes: credit_reserve → held | insufficient | already_charged | no_budget | no_profile;
-- credit_settle → settled | already_settled | no_profile.

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

create or replace function public.credit_settle(
  p_request_id text, p_user_id uuid, p_charge bigint, p_provider text, p_units jsonb, p_reason text)
returns table (outcome text, charged bigint, balance bigint)
language plpgsql
set search_path = public, pg_temp
as $$
declare
  v_delta bigint;
  v_hold bigint;
  v_balance bigint;
  v_cap bigint;
  v_charged bigint;
begin
  perform 1 from public.profiles p where p.id = p_user_id for update;
  if not found then
    return query select 'no_profile'::text, null::bigint, null::bigint;
    return;
  end if;
  v_balance := coalesce((select sum(l.delta) from public.credits_ledger l where l.user_id = p_user_id), 0);
  select l.delta into v_delta from public.credits_ledger l where l.request_id = p_request_id;
  if found then
    return query select 'already_settled'::text, -v_delta, v_balance;
    return;
  end if;
  select h.amount into v_hold from public.credit_holds h where h.request_id = p_request_id and h.user_id = p_user_id;
  if v_hold is not null then
    v_cap := v_hold;
  else
    -- no hold (expired, or a priced charge without one): never more than is available
    v_cap := greatest(0, v_balance - coalesce((select sum(h.amount) from public.credit_holds h where h.user_id = p_user_id and h.expires_at > now()), 0));
  end if;
  v_charged := greatest(0, least(p_charge, v_cap));
  insert into public.credits_ledger (user_id, delta, provider, units, reason, request_id)
  values (p_user_id, -v_charged, p_provider, p_units, p_reason, p_request_id);
  delete from public.credit_holds h where h.request_id = p_request_id and h.user_id = p_user_id;
  return query select 'settled'::text, v_charged, v_balance - v_charged;
end
$$;

-- Only the service may move credits: not callable through the Data API by users.
revoke all on function public.credit_reserve(text, uuid, jsonb, double precision) from public, anon, authenticated;
revoke all on function public.credit_settle(text, uuid, bigint, text, jsonb, text) from public, anon, authenticated;
grant execute on function public.credit_reserve(text, uuid, jsonb, double precision) to service_role;
grant execute on function public.credit_settle(text, uuid, bigint, text, jsonb, text) to service_role;
