-- Every change to a user's watched pairs is announced on channel watchlist_changed, payload the
-- user's id, whoever makes it: the API, the sync, or a Data API client writing under RLS past the
-- API. The model router of each API node LISTENs and forgets that user's kept list
-- (src/main/java/ai/zmarty/router/WatchedPairs.java), so it may keep a list for as long as it hears
-- changes instead of reading it again every 30 s. Notifications go out at commit, none for a
-- transaction that rolls back; PostgreSQL sends one per user and transaction however many of the
-- user's rows it changed.

create or replace function public.user_symbols_announce() returns trigger
  language plpgsql
  set search_path = ''
  as $fn$
  begin
    if tg_op <> 'INSERT' then
      perform pg_notify('watchlist_changed', old.user_id::text);
    end if;
    if tg_op <> 'DELETE' and (tg_op = 'INSERT' or new.user_id is distinct from old.user_id) then
      perform pg_notify('watchlist_changed', new.user_id::text);
    end if;
    return null;
  end
  $fn$;

drop trigger if exists user_symbols_announce on public.user_symbols;
create trigger user_symbols_announce after insert or update or delete on public.user_symbols
  for each row execute function public.user_symbols_announce();
