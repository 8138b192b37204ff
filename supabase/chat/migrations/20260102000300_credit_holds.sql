-- Credits reserved for calls in progress. A chat reserves its worst case here before the model is
-- called and the hold is replaced by one ledger row when it settles (or deleted on failure), so
-- concurrent requests can never spend the same credits twice. A hold that outlives its expiry
-- (its node died mid-call) no longer counts against the balance.
create table if not exists public.credit_holds (
  request_id text primary key,
  user_id uuid not null references public.profiles (id) on delete cascade,
  amount bigint not null check (amount > 0),
  created_at timestamptz not null default now(),
  expires_at timestamptz not null
);

create index if not exists credit_holds_user_idx on public.credit_holds (user_id, expires_at);

alter table public.credit_holds enable row level security;

create policy credit_holds_select_own on public.credit_holds
  for select to authenticated
  using (user_id = auth.uid());

grant select on public.credit_holds to authenticated;
grant all on public.credit_holds to service_role;
