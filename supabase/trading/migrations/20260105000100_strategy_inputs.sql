-- The strategy's volatility and liquidation inputs, per bar, next to the bar's other risk figures.
-- Ingest computes them from the bars up to that bar only (liq_clusters holds only the newest map,
-- so it cannot say where the clusters stood at an older bar). Distances are fractions of the close
-- (0.012 = 1.2 % away); intensities are relative to the strongest level of that bar's map (0–1);
-- null where there was no strong cluster on that side.
alter table public.risk_metric
  add column if not exists volatility_long numeric,
  add column if not exists liq_below_distance numeric,
  add column if not exists liq_below_intensity numeric,
  add column if not exists liq_above_distance numeric,
  add column if not exists liq_above_intensity numeric;
