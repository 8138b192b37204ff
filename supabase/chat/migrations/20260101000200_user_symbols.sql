-- The symbols a user watches, one row per (symbol, timeframe) per user.
create table if not exists public.user_symbols (
  id bigint generated always as identity primary key,
  user_id uuid not null references public.profiles (id) on delete cascade,
  symbol text not null check (symbol ~ '^[A-Z0-9]{2,15}/[A-Z0-9]{2,10}$'),
  timeframe text not null check (timeframe in ('1m', '5m', '15m', '30m', '1h', '4h', '1d')),
  created_at timestamptz not null default now(),
  constraint user_symbols_user_symbol_timeframe_key unique (user_id, symbol, timeframe)
);

alter table public.user_symbols enable row level security;

create policy user_symbols_select_own on public.user_symbols
  for select to authenticated
  using (user_id = auth.uid());

create policy user_symbols_insert_own on public.user_symbols
  for insert to authenticated
  with check (user_id = auth.uid());

create policy user_symbols_update_own on public.user_symbols
  for update to authenticated
  using (user_id = auth.uid())
  with check (user_id = auth.uid());

create policy user_symbols_delete_own on public.user_symbols
  for delete to authenticated
  using (user_id = auth.uid());

grant select, insert, update, delete on public.user_symbols to authenticated;
grant all on public.user_symbols to service_role;
