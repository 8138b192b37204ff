package ai.zmarty.outbox;

/** The statements of the event outbox (database B, table {@code event_outbox}). */
final class OutboxSql {
  private OutboxSql() {}

  /** The channel a new row is announced on, so a publisher wakes at commit instead of at its next poll. */
  static final String CHANNEL = "event_outbox";

  /**
   * Several events for one address in one statement ($1 uuid[], $3 text[] of JSON bodies), due
   * after $4 seconds (0: at once); an id already in the outbox is skipped. One notification, and
   * none for held rows: a publisher woken now would find nothing due (it sends them at a poll).
   */
  static final String ADD =
      """
      with added as (
        insert into public.event_outbox (event_id, address, body, next_attempt_at)
        select e, $2, b::jsonb, now() + make_interval(secs => $4::double precision) from unnest($1::uuid[], $3::text[]) as t(e, b)
        on conflict (event_id) do nothing
        returning id
      )
      select pg_notify('event_outbox', max(id)::text) from added having $4::double precision <= 0
      """;

  /**
   * Claims up to $1 unpublished rows for $2 seconds, oldest first: another publisher skips them
   * (SKIP LOCKED now, not due after commit), and one that dies before marking them leaves them
   * to be claimed again when the claim lapses.
   */
  static final String CLAIM =
      """
      with due as (
        select id from public.event_outbox
        where published_at is null and next_attempt_at <= now()
        order by id limit $1
        for update skip locked
      )
      update public.event_outbox o set next_attempt_at = now() + make_interval(secs => $2::double precision)
      from due where o.id = due.id
      returning o.id, o.event_id, o.address, o.body::text as body
      """;

  static final String MARK_PUBLISHED = "update public.event_outbox set published_at = now() where id = any($1)";

  /** The writer published these events ($1: their event ids) itself. */
  static final String MARK_PUBLISHED_BY_EVENT = "update public.event_outbox set published_at = now() where event_id = any($1::uuid[]) and published_at is null";

  /** Deletes up to $2 rows published more than $1 seconds ago. */
  static final String PURGE =
      """
      with old as (
        select id from public.event_outbox where published_at < now() - make_interval(secs => $1::double precision) order by id limit $2
      )
      delete from public.event_outbox o using old where o.id = old.id
      """;
}
