-- Each user's balance kept beside the ledger, so that a chat's hold and settlement read one row
-- instead of summing every ledger row the user ever had (credit_reserve and credit_settle did, twice
-- per chat: a cost that grew with each user's history).
--
-- The ledger stays the record: credit_balances.balance is, at every commit, the sum of the user's
-- credits_ledger.delta, because every ledger change updates it in the same transaction (the
-- trigger below, for inserts, deletes and changes of user_id or delta). The credit_balance view
-- still sums the ledger, and tests compare the two.
--
-- Locks: the trigger's upsert locks the user's balance row until commit. Every path that writes
-- the ledger takes the profile row first (FOR UPDATE in the credit functions, FOR KEY SHARE by the
-- ledger's foreign key), then the balance row, so the order is the same everywhere.

create table if not exists public.credit_balances (
  user_id uuid primary key references public.profiles (id) on delete cascade,
  balance bigint not null
) with (fillfactor = 50); -- room on each page for the next version of a row (HOT updates: no index entry per chat)

alter table public.credit_balances enable row level security;

create policy credit_balances_select_own on public.credit_balances
  for select to authenticated
  using (user_id = auth.uid());

revoke all on public.credit_balances from public, anon, authenticated;
grant select on public.credit_balances to authenticated;
grant all on public.credit_balances to service_role;

-- No SET search_path on this one (every name in it is qualified): a function's SET clause is applied
-- and undone at each call, which a trigger on every ledger row pays for every chat.
create or replace function public.credit_balances_follow()
returns trigger
language plpgsql
as $$
begin
  if tg_op in ('UPDATE', 'DELETE') then
    update public.credit_balances b set balance = b.balance - old.delta where b.user_id = old.user_id;
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    update public.credit_balances b set balance = b.balance + new.delta where b.user_id = new.user_id;
    if not found then -- the user's first ledger row
      insert into public.credit_balances as b (user_id, balance) values (new.user_id, new.delta)
      on conflict (user_id) do update set balance = b.balance + excluded.balance;
    end if;
  end if;
  return null;
end
$$;

-- the ledger's writers wait while the balances are filled, so none is counted twice or missed
lock table public.credits_ledger in share row exclusive mode;

drop trigger if exists credit_balances_follow on public.credits_ledger;
create trigger credit_balances_follow after insert or delete or update of user_id, delta on public.credits_ledger
  for each row execute function public.credit_balances_follow();

insert into public.credit_balances (user_id, balance)
select l.user_id, sum(l.delta) from public.credits_ledger l group by l.user_id
on conflict (user_id) do update set balance = excluded.balance;

-- The two functions of 20260105000300_credit_functions.sql, reading the balance row instead of
-- the sum; everything else is unchanged.
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
  v_available := coalesce((select b.balance from public.credit_balances b where b.user_id = p_user_id), 0)
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
  v_balance := coalesce((select b.balance from public.credit_balances b where b.user_id = p_user_id), 0);
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
