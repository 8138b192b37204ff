-- Receipts of the signed A→B sync: one row per delivered event id, written in the same
-- transaction as the watchers change it caused, so a redelivered event is answered "duplicate"
-- and applied only once.
create table if not exists public.sync_deliveries (
  event_id uuid primary key,
  received_at timestamptz not null default now()
);
