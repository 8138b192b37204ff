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

  /** Only an event still waiting for enrichment is rejected (a concurrent or earlier outcome stands). */
  static final String REJECT = "update lens.events set status = 'rejected', reject_reason = $2 where event_id = $1 and status in ('queued', 'failed')";

  /** Claims the event for this enrichment inside its transaction; no row: another delivery got there first. */
  static final String MARK_ENRICHED =
      "update lens.events set status = 'enriched', enriched_at = now(), reject_reason = null where event_id = $1 and status in ('queued', 'failed') returning enriched_at";

  static final String INSERT_ENRICHED =
      """
      insert into lens.enriched_events (event_id, provider, provider_version, market, ta, levels, derivatives, orderbook,
                                        data_timestamps, quality_flags, signal_age_seconds, model_payload, enrichment_duration_ms)
      values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
      on conflict (event_id) do nothing""";

  static final String RESOLVE_DLQ = "update lens.dlq_entries set resolved_at = now() where event_id = $1 and stage = 'enrich' and resolved_at is null";

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
