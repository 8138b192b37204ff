-- Chat sessions and their messages. A session holds a bounded number of question/answer turns
-- (CHAT_MAX_TURNS); its latest messages feed the next prompt, so history survives a restart.
-- The API writes both as the service role once an answer completes; users read their own (RLS).
create table if not exists public.chat_sessions (
  id uuid primary key,
  user_id uuid not null references public.profiles (id) on delete cascade,
  created_at timestamptz not null default now(),
  turns int not null default 0 check (turns >= 0)
);

create index if not exists chat_sessions_user_idx on public.chat_sessions (user_id, created_at);

create table if not exists public.chat_messages (
  id bigint generated always as identity primary key,
  session_id uuid not null references public.chat_sessions (id) on delete cascade,
  user_id uuid not null references public.profiles (id) on delete cascade,
  role text not null check (role in ('user', 'assistant')),
  content text not null,
  request_id text,
  created_at timestamptz not null default now()
);

create index if not exists chat_messages_session_idx on public.chat_messages (session_id, id);

alter table public.chat_sessions enable row level security;
alter table public.chat_messages enable row level security;

create policy chat_sessions_select_own on public.chat_sessions
  for select to authenticated
  using (user_id = auth.uid());

create policy chat_messages_select_own on public.chat_messages
  for select to authenticated
  using (user_id = auth.uid());

grant select on public.chat_sessions, public.chat_messages to authenticated;
grant all on public.chat_sessions, public.chat_messages to service_role;
