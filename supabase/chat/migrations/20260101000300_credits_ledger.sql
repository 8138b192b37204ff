-- Every credit movement is one immutable row; the balance is their sum. A request id appears at
-- most once, so a retried settlement can never charge twice.
create table if not exists public.credits_ledger (
  id bigint generated always as identity primary key,
  user_id uuid not null references public.profiles (id) on delete cascade,
  delta bigint not null,
  provider text,
  units jsonb not null default '{}'::jsonb,
  reason text not null,
  request_id text,
  created_at timestamptz not null default now(),
  constraint credits_ledger_request_id_key unique (request_id)
);

create index if not exists credits_ledger_user_created_idx on public.credits_ledger (user_id, created_at desc);

alter table public.credits_ledger enable row level security;

create policy credits_ledger_select_own on public.credits_ledger
  for select to authenticated
  using (user_id = auth.uid());

grant select on public.credits_ledger to authenticated;
grant all on public.credits_ledger to service_role;

-- security_invoker: the view applies the caller's RLS instead of its owner's rights.
create or replace view public.credit_balance
  with (security_invoker = true)
  as
  select p.id as user_id, coalesce(sum(l.delta), 0)::bigint as balance
  from public.profiles p
  left join public.credits_ledger l on l.user_id = p.id
  group by p.id;

grant select on public.credit_balance to authenticated, service_role;
