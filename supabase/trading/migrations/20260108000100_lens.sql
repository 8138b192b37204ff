-- Lens: trade signals posted by outside sources (bots, charting alerts, other desks), enriched with
-- market data and technical analysis, judged by several models and published live. Two pgmq queues
-- stand for the brief's two streams: lens_enrich (body {event_id}) then lens_evaluate ({event_id}).
-- Every stage transition is a processing_timeline row; a message that keeps failing becomes a
-- dlq_entries row an operator can retry.
create schema if not exists lens;

select pgmq.create('lens_enrich');
select pgmq.create('lens_evaluate');

-- A source posts with an API key shown once at creation; only its SHA-256 is kept.
create table if not exists lens.sources (
  name text primary key check (name ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
  key_hash bytea not null unique,
  key_prefix text not null,
  created_at timestamptz not null default now(),
  revoked_at timestamptz
);

-- One row per accepted signal. status: queued → enriched → evaluated → published, or rejected
-- (reject_reason: price_drift, stale, clock_skew, …) or failed (dead-lettered).
create table if not exists lens.events (
  event_id uuid primary key,
  source text not null references lens.sources (name),
  idempotency_key text,
  body_hash text not null,
  event_type text not null check (event_type in ('OPEN_SIGNAL', 'CLOSE_SIGNAL')),
  symbol text not null,
  direction text not null check (direction in ('long', 'short')),
  entry_price numeric not null check (entry_price > 0),
  size numeric,
  liquidation_price numeric,
  ts_utc timestamptz not null,
  feature_profile text not null,
  body jsonb not null,
  status text not null check (status in ('queued', 'rejected', 'enriched', 'evaluated', 'published', 'failed')),
  reject_reason text,
  received_at timestamptz not null default now(),
  enriched_at timestamptz,
  evaluated_at timestamptz,
  published_at timestamptz,
  constraint events_source_idempotency_key unique (source, idempotency_key)
);

create index if not exists events_received_idx on lens.events (received_at desc, event_id desc);
create index if not exists events_source_received_idx on lens.events (source, received_at desc, event_id desc);
create index if not exists events_symbol_received_idx on lens.events (symbol, received_at desc);
create index if not exists events_status_idx on lens.events (status, received_at desc);

-- What enrichment gathered for one event, and the compact payload the models see (< 4 KB).
create table if not exists lens.enriched_events (
  event_id uuid primary key references lens.events (event_id) on delete cascade,
  provider text not null,
  provider_version text not null,
  market jsonb not null default '{}'::jsonb,
  ta jsonb not null default '{}'::jsonb,
  levels jsonb not null default '{}'::jsonb,
  derivatives jsonb not null default '{}'::jsonb,
  orderbook jsonb not null default '{}'::jsonb,
  data_timestamps jsonb not null default '{}'::jsonb,
  quality_flags jsonb not null default '{}'::jsonb,
  signal_age_seconds double precision not null,
  model_payload jsonb not null,
  enrichment_duration_ms integer not null,
  enriched_at timestamptz not null default now()
);

-- One row per model per event. status ok, invalid_json (raw answer kept, fallback IGNORE with
-- confidence 0), timeout or provider_error (code and message). The outcome columns are filled
-- later when the decision is resolved against market prices (scoring the judges).
create table if not exists lens.model_decisions (
  decision_id uuid primary key default gen_random_uuid(),
  event_id uuid not null references lens.events (event_id) on delete cascade,
  model text not null,
  status text not null check (status in ('ok', 'invalid_json', 'timeout', 'provider_error')),
  decision text not null check (decision in ('ENTER', 'WAIT', 'IGNORE')),
  confidence double precision not null check (confidence between 0 and 1),
  entry_plan jsonb,
  risk_plan jsonb,
  size_pct double precision,
  reasons jsonb not null default '[]'::jsonb,
  raw_answer text,
  error_code text,
  error_message text,
  prompt_version text not null,
  prompt_hash text not null,
  latency_ms integer not null,
  tokens_in integer not null default 0,
  tokens_out integer not null default 0,
  cost numeric(14, 6) not null default 0,
  created_at timestamptz not null default now(),
  outcome text check (outcome in ('win', 'loss', 'flat')),
  outcome_return double precision,
  resolved_at timestamptz,
  constraint model_decisions_event_model_key unique (event_id, model)
);

create index if not exists model_decisions_created_idx on lens.model_decisions (created_at desc);
create index if not exists model_decisions_model_created_idx on lens.model_decisions (model, created_at desc);
create index if not exists model_decisions_unresolved_idx on lens.model_decisions (created_at) where resolved_at is null;

-- Every stage transition of an event: received, rejected, enrich_started, enriched,
-- evaluate_started, model_answered, evaluated, published, dead_lettered, retried.
create table if not exists lens.processing_timeline (
  id bigint generated always as identity primary key,
  event_id uuid not null references lens.events (event_id) on delete cascade,
  stage text not null,
  status text not null,
  node text,
  detail jsonb not null default '{}'::jsonb,
  at timestamptz not null default now()
);

create index if not exists processing_timeline_event_idx on lens.processing_timeline (event_id, id);

-- A message that failed for good at a stage (enrich or evaluate). Retrying sends it back to its
-- stage's queue (retry_count, last_retry_at); resolved_at is set once that stage later succeeds.
create table if not exists lens.dlq_entries (
  id bigint generated always as identity primary key,
  event_id uuid references lens.events (event_id) on delete cascade,
  stage text not null check (stage in ('enrich', 'evaluate')),
  error text not null,
  payload jsonb not null,
  created_at timestamptz not null default now(),
  retry_count integer not null default 0,
  last_retry_at timestamptz,
  resolved_at timestamptz
);

create index if not exists dlq_entries_open_idx on lens.dlq_entries (stage, created_at desc) where resolved_at is null;
