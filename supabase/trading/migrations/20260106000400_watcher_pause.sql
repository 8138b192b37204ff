-- A pair whose ingest keeps failing is paused rather than enqueued forever. dead_letters counts the
-- pair's ingest jobs dead-lettered in a row (a successful ingest sets it back to 0); at
-- WATCHER_PAUSE_AFTER the pair's watchers get paused_at and pause_reason (the last error), and the
-- scheduler skips them. Adding the pair again (POST /symbols → the sync) clears all three.
alter table public.watchers
  add column if not exists dead_letters integer not null default 0,
  add column if not exists paused_at timestamptz,
  add column if not exists pause_reason text;
