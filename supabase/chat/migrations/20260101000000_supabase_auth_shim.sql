-- The few pieces of Supabase this project relies on, created only where the database is not a
-- Supabase one (plain PostgreSQL, the embedded server, CI). On Supabase every branch below finds
-- its object already there and changes nothing.

do $shim$
begin
  -- Roles as Supabase defines them: API roles cannot log in; service_role bypasses RLS.
  if not exists (select 1 from pg_roles where rolname = 'anon') then
    create role anon nologin noinherit;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'authenticated') then
    create role authenticated nologin noinherit;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'service_role') then
    create role service_role nologin noinherit bypassrls;
  end if;

  if not exists (select 1 from pg_namespace where nspname = 'auth') then
    create schema auth;

    create table auth.users (
      id uuid primary key,
      email text unique,
      created_at timestamptz not null default now()
    );

    -- Same contract as Supabase: the caller's id from the transaction-local JWT claims.
    create function auth.uid() returns uuid
      language sql stable
      as $fn$
        select coalesce(
          nullif(current_setting('request.jwt.claim.sub', true), ''),
          nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub'
        )::uuid
      $fn$;

    create function auth.role() returns text
      language sql stable
      as $fn$
        select coalesce(
          nullif(current_setting('request.jwt.claim.role', true), ''),
          nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role'
        )::text
      $fn$;

    create function auth.jwt() returns jsonb
      language sql stable
      as $fn$
        select coalesce(nullif(current_setting('request.jwt.claims', true), ''), '{}')::jsonb
      $fn$;

    grant usage on schema auth to anon, authenticated, service_role;
    grant execute on all functions in schema auth to anon, authenticated, service_role;
  end if;
end
$shim$;

grant usage on schema public to anon, authenticated, service_role;
