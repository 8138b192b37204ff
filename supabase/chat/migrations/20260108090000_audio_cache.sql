-- Spoken answers (ElevenLabs audio), kept in database A so that every API node serves every
-- answer's audio (VOICE_STORE=database, the default). The key is the SHA-256 of (voice, model,
-- text): the same answer in the same voice is synthesised and charged once. Bounded by
-- VOICE_CACHE_MAX_MB: after each new row the least recently written go until the rest fit.
create table if not exists public.audio_cache (
  hash text primary key check (hash ~ '^[0-9a-f]{64}$'),
  audio bytea not null,
  bytes integer not null check (bytes > 0),
  created_at timestamptz not null default now()
);

create index if not exists audio_cache_created_idx on public.audio_cache (created_at, hash);

-- Server side only: the audio is fetched through GET /audio/<hash>.mp3, never by API roles.
alter table public.audio_cache enable row level security;
revoke all on public.audio_cache from public, anon, authenticated;
grant all on public.audio_cache to service_role;
