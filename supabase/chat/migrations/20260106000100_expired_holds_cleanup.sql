-- Expired holds (their node died mid-call) stopped counting against the balance but stayed as
-- rows forever. Each new hold now deletes its user's expired ones: credit_reserve inserts holds
-- while it holds the user's lock, so this runs inside that transaction, and the index on
-- (user_id, expires_at) finds them. They go at the user's next chat.
create or replace function public.credit_holds_drop_expired()
returns trigger
language plpgsql
set search_path = public, pg_temp
as $$
begin
  delete from public.credit_holds h where h.user_id = new.user_id and h.expires_at <= now();
  return new;
end
$$;

drop trigger if exists credit_holds_drop_expired on public.credit_holds;
create trigger credit_holds_drop_expired before insert on public.credit_holds
  for each row execute function public.credit_holds_drop_expired();
