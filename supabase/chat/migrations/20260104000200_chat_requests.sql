-- Idempotency keys of POST /chat. The first request with a key claims it (status 'running')
-- before any credit is reserved; when its answer completes the final response is stored
-- ('done'), and a retry with the same key gets that response instead of a second charge.
-- A request that fails without an answer gives its claim back so the key can be retried.
create table if not exists public.chat_requests (
  user_id uuid not null references public.profiles (id) on delete cascade,
  idempotency_key text not null check (length(idempotency_key) between 1 and 200),
  request_id text not null,
  status text not null check (status in ('running', 'done')),
  response jsonb,
  created_at timestamptz not null default now(),
  constraint chat_requests_user_key unique (user_id, idempotency_key)
);

alter table public.chat_requests enable row level security;

create policy chat_requests_select_own on public.chat_requests
  for select to authenticated
  using (user_id = auth.uid());

grant select on public.chat_requests to authenticated;
grant all on public.chat_requests to service_role;
