-- What a cluster's notional is measured in: 'volume' (the traded-notional proxy for new positions)
-- or 'open_interest' (the same map scaled so the positions it holds equal the exchange's current
-- open interest, where the market provider publishes it: Hyperliquid). Intensities do not change.
alter table public.liq_clusters
  add column if not exists basis text not null default 'volume' check (basis in ('volume', 'open_interest'));
