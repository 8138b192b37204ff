-- The outbox of the signed A→B sync: every change to public.user_symbols is written here, in the
-- same transaction as the change, as a Supabase-Database-Webhook-shaped payload
--   {event_id, type: INSERT|UPDATE|DELETE, table, schema, record, old_record}
-- (record null on DELETE, old_record null on INSERT). The outbox relay (role ops) posts each row,
-- signed, to the watchers-upsert hook and retries with backoff until it is acknowledged, so no
-- change is lost the way Supabase's own fire-and-forget webhooks can lose one.

create table if not exists public.sync_outbox (
  id bigint generated always as identity primary key,
  event_id uuid not null default gen_random_uuid() unique,
  payload jsonb not null,
  created_at timestamptz not null default now(),
  attempts integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  last_error text,
  delivered_at timestamptz,
  -- Changes to one source row are delivered in order: a row waits while an older one for the
  -- same key is undelivered.
  row_key text generated always as (
    (payload ->> 'schema') || '.' || (payload ->> 'table') || ':'
      || coalesce(payload -> 'record' ->> 'id', payload -> 'old_record' ->> 'id', '')
  ) stored
);

create index if not exists sync_outbox_due_idx on public.sync_outbox (next_attempt_at, id) where delivered_at is null;
create index if not exists sync_outbox_pending_key_idx on public.sync_outbox (row_key, id) where delivered_at is null;

-- Only the server side reads or writes the outbox: no API role may see other users' changes or
-- forge deliveries. RLS on with no policy denies everyone but the owner and bypassrls roles.
alter table public.sync_outbox enable row level security;
revoke all on public.sync_outbox from public, anon, authenticated;
grant all on public.sync_outbox to service_role;

-- security definer: the row is usually written by role authenticated under RLS, which has no
-- rights on the outbox; the function runs as its owner. The empty search_path keeps a caller's
-- objects from shadowing the ones named here.
create or replace function public.sync_outbox_capture() returns trigger
  language plpgsql
  security definer
  set search_path = ''
  as $fn$
  declare
    ev uuid := gen_random_uuid();
    new_id bigint;
  begin
    insert into public.sync_outbox (event_id, payload)
    values (
      ev,
      jsonb_build_object(
        'event_id', ev,
        'type', tg_op,
        'table', tg_table_name,
        'schema', tg_table_schema,
        'record', case when tg_op = 'DELETE' then null else to_jsonb(new) end,
        'old_record', case when tg_op = 'INSERT' then null else to_jsonb(old) end))
    returning id into new_id;
    -- Delivered to listeners at commit: the relay wakes at once instead of at its next poll.
    perform pg_notify('sync_outbox', new_id::text);
    return null;
  end
  $fn$;

revoke all on function public.sync_outbox_capture() from public, anon, authenticated;

drop trigger if exists user_symbols_sync_outbox on public.user_symbols;
create trigger user_symbols_sync_outbox
  after insert or update or delete on public.user_symbols
  for each row execute function public.sync_outbox_capture();
