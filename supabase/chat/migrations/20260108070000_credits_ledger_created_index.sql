-- The admin dashboard sums the ledger's last 24 hours and last hour every few seconds: by time,
-- not by user, so it needs an index on created_at alone.
create index if not exists credits_ledger_created_idx on public.credits_ledger (created_at);
