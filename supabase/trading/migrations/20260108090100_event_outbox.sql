-- Events that dashboards and sockets rely on (events.signal.created, lens decisions) are written
-- here in the same transaction as the row they announce, and published on the event bus after
-- commit by a worker node's EventPublisherVerticle. A node that dies between commit and publish
-- loses nothing: another node publishes the row once its claim lapses. A node that dies after
-- publishing but before marking the row causes one duplicate, which subscribers drop by event_id.
create table if not exists public.event_outbox (
  id bigint generated always as identity primary key,
  event_id uuid not null unique,
  address text not null,
  body jsonb not null,
  created_at timestamptz not null default now(),
  next_attempt_at timestamptz not null default now(),
  published_at timestamptz
);

create index if not exists event_outbox_due_idx on public.event_outbox (id) where published_at is null;
create index if not exists event_outbox_published_idx on public.event_outbox (published_at) where published_at is not null;
