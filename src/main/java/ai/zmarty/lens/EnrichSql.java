package ai.zmarty.lens;

/** The enrichment worker's statements on database B's {@code lens} schema. */
final class EnrichSql {
  private EnrichSql() {}

  static final String LOAD_EVENT =
      """
      select event_id, source, symbol, event_type, direction, entry_price::float8 as entry_price, size::float8 as size,
             liquidation_price::float8 as liquidation_price, ts_utc, feature_profile, status
        from lens.events where event_id = $1""";

  static final String TIMELINE = "insert into lens.processing_timeline (event_id, stage, status, node, detail) values ($1, $2, $3, $4, $5)";

  /** A timeline row that happened earlier than it is written ($6: when). */
  static final String TIMELINE_AT = "insert into lens.processing_timeline (event_id, stage, status, node, detail, at) values ($1, $2, $3, $4, $5, $6)";

  /** Only an event still waiting for enrichment is rejected (a concurrent or earlier outcome stands). */
  static final String REJECT = "update lens.events set status = 'rejected', reject_reason = $2 where event_id = $1 and status in ('queued', 'failed')";

  /**
   * The whole enrichment outcome in one statement (atomic, one round trip): claims the event
   * (status {@code enriched}, only from queued or failed), its {@code enriched_events} row ($1 the
   * event, $2–$13 the columns from {@code provider} to {@code enrichment_duration_ms}), the {@code
   * enrich_started} (detail $17, at $18: when the attempt began) and {@code enriched} timeline rows
   * (node $14, detail $15), the message on queue $16 and the event's open enrich DLQ entries resolved. No row: another delivery had an outcome first, and nothing is
   * written.
   */
  static final String ENRICHED =
      """
      with claimed as (
        update lens.events set status = 'enriched', enriched_at = now(), reject_reason = null
        where event_id = $1 and status in ('queued', 'failed') returning event_id
      ), stored as (
        insert into lens.enriched_events (event_id, provider, provider_version, market, ta, levels, derivatives, orderbook,
                                          data_timestamps, quality_flags, signal_age_seconds, model_payload, enrichment_duration_ms)
        select event_id, $2::text, $3::text, $4::jsonb, $5::jsonb, $6::jsonb, $7::jsonb, $8::jsonb, $9::jsonb, $10::jsonb, $11::float8, $12::jsonb, $13::int
        from claimed
        on conflict (event_id) do nothing
      ), timeline as (
        insert into lens.processing_timeline (event_id, stage, status, node, detail, at)
        select c.event_id, t.stage, t.status, $14::text, t.detail, t.at
        from claimed c,
             (values (1, 'enrich_started', 'started', $17::jsonb, $18::timestamptz), (2, 'enriched', 'ok', $15::jsonb, now())) as t(n, stage, status, detail, at)
        order by t.n
      ), resolved as (
        update lens.dlq_entries set resolved_at = now()
        where event_id = (select event_id from claimed) and stage = 'enrich' and resolved_at is null
      ), sent as (
        select pgmq.send($16::text, jsonb_build_object('event_id', event_id::text), 0) as msg_id from claimed
      )
      select c.event_id, s.msg_id from claimed c, sent s""";

  /** The event's open enrich entry takes the newest error (a retried entry that failed again); else a new entry. */
  static final String UPSERT_DLQ =
      """
      with open as (
        update lens.dlq_entries set error = $2, payload = $3 where event_id = $1 and stage = 'enrich' and resolved_at is null returning id)
      insert into lens.dlq_entries (event_id, stage, error, payload)
      select $1, 'enrich', $2, $3 where not exists (select 1 from open) and exists (select 1 from lens.events where event_id = $1)""";

  /** A dead-lettered enrichment fails the event unless it already has an outcome. */
  static final String MARK_FAILED = "update lens.events set status = 'failed' where event_id = $1 and status = 'queued'";
}
