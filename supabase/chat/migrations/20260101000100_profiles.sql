-- One row per user: the plan tier decides max_tokens and limits.
create table if not exists public.profiles (
  id uuid primary key references auth.users (id) on delete cascade,
  tier text not null default 'free' check (tier in ('free', 'pro', 'enterprise')),
  created_at timestamptz not null default now()
);

alter table public.profiles enable row level security;

create policy profiles_select_own on public.profiles
  for select to authenticated
  using (id = auth.uid());

grant select on public.profiles to authenticated;
grant all on public.profiles to service_role;
