-- How a resolved signal ended, next to its outcome: the price it was decided at and why (first
-- target, stop, or the close of the last horizon bar). resolved_at holds the close time of the bar
-- that decided it (market time, not wall time), so resolving again writes the same values.
alter table public.signals add column if not exists exit_price numeric;
alter table public.signals add column if not exists exit_reason text;

alter table public.signals
  add constraint signals_exit_reason_check check (exit_reason in ('target', 'stop', 'horizon'));

-- An outcome always comes with the time and the reason it was decided, and never without them.
alter table public.signals
  add constraint signals_resolution_complete_check
  check ((outcome is null) = (resolved_at is null) and (outcome is null) = (exit_reason is null));

comment on column public.signals.resolved_at is 'close time of the bar that decided the outcome';
comment on column public.signals.exit_reason is 'target: first target reached first; stop: stop reached first (or both in one bar); horizon: neither, the last horizon close decided';
