package ai.zmarty.lens;

/**
 * The statements of the lens intake: sources and their keys, accepting a signal (with its timeline
 * row), the query and audit reads, and dead-letter retries. Reads build their JSON in PostgreSQL
 * ({@code to_jsonb}), so a column added by a migration shows up without a change here.
 */
final class IntakeSql {
  private IntakeSql() {}

  // --- sources ---------------------------------------------------------------------------------
  static final String SOURCE_ADD =
      "insert into lens.sources (name, key_hash, key_prefix) values ($1, $2, $3) on conflict (name) do nothing returning name";
  /** A new key for a source, created when missing and un-revoked when revoked (the demo's source). */
  static final String SOURCE_ROTATE =
      "insert into lens.sources (name, key_hash, key_prefix) values ($1, $2, $3)"
          + " on conflict (name) do update set key_hash = excluded.key_hash, key_prefix = excluded.key_prefix, revoked_at = null returning name";
  static final String SOURCE_LIST = "select name, key_prefix, created_at, revoked_at from lens.sources order by name";
  static final String SOURCE_REVOKE = "update lens.sources set revoked_at = now() where name = $1 and revoked_at is null returning name";
  static final String SOURCE_BY_HASH = "select name, key_hash, revoked_at from lens.sources where key_hash = $1";

  // --- intake ----------------------------------------------------------------------------------
  /** Nothing comes back when the source already sent this idempotency key. */
  static final String EVENT_INSERT =
      "insert into lens.events (event_id, source, idempotency_key, body_hash, event_type, symbol, direction, entry_price, size,"
          + " liquidation_price, ts_utc, feature_profile, body, status)"
          + " values ($1, $2, $3, $4, $5, $6, $7, $8::float8::numeric, $9::float8::numeric, $10::float8::numeric, $11, $12, $13, 'queued')"
          + " on conflict (source, idempotency_key) do nothing returning event_id";
  /**
   * The whole acceptance in one statement (atomic, one round trip): the event as {@link
   * #EVENT_INSERT}, its {@code received} timeline row (node $14, detail $15) and its message on queue
   * $16. No row when the source already sent this idempotency key: nothing is written, and the caller
   * reads the first event with {@link #EVENT_BY_KEY} in a statement of its own (a new snapshot, which
   * sees a concurrent first insert that this statement waited for).
   */
  static final String ACCEPT =
      "with inserted as (" + EVENT_INSERT + ")"
          + ", timeline as (insert into lens.processing_timeline (event_id, stage, status, node, detail)"
          + " select event_id, 'received', 'queued', $14, $15 from inserted)"
          + ", sent as (select pgmq.send($16::text, jsonb_build_object('event_id', event_id::text), 0) as msg_id from inserted)"
          + " select i.event_id, s.msg_id from inserted i, sent s";
  static final String EVENT_BY_KEY = "select event_id, body_hash, status from lens.events where source = $1 and idempotency_key = $2";
  static final String TIMELINE_INSERT =
      "insert into lens.processing_timeline (event_id, stage, status, node, detail) values ($1, $2, $3, $4, $5)";

  // --- query and audit -------------------------------------------------------------------------
  /** Newest first; {@code $6/$7} is the keyset cursor (the last row of the previous page). */
  static final String EVENTS_PAGE =
      "select to_jsonb(e) - 'body_hash' - 'body' as item, e.received_at as cursor_at, e.event_id::text as cursor_id from lens.events e"
          + " where ($1::text is null or e.status = $1) and ($2::text is null or e.symbol = $2) and ($3::text is null or e.source = $3)"
          + " and ($4::timestamptz is null or e.received_at >= $4) and ($5::timestamptz is null or e.received_at < $5)"
          + " and ($6::timestamptz is null or (e.received_at, e.event_id) < ($6, $7::uuid))"
          + " order by e.received_at desc, e.event_id desc limit $8";
  /** The event, its enrichment, its decisions and its timeline; {@code $2} (when set) the only source allowed. */
  static final String EVENT_DETAIL =
      "select jsonb_build_object('event', to_jsonb(e) - 'body_hash',"
          + " 'enrichment', (select to_jsonb(x) from lens.enriched_events x where x.event_id = e.event_id),"
          + " 'decisions', coalesce((select jsonb_agg(to_jsonb(d) order by d.model) from lens.model_decisions d where d.event_id = e.event_id), '[]'::jsonb),"
          + " 'timeline', coalesce((select jsonb_agg(to_jsonb(t) - 'event_id' order by t.id) from lens.processing_timeline t where t.event_id = e.event_id), '[]'::jsonb))"
          + " as item from lens.events e where e.event_id = $1 and ($2::text is null or e.source = $2)";
  static final String EVENT_STATUS =
      "select jsonb_build_object('event_id', e.event_id, 'source', e.source, 'status', e.status, 'reject_reason', e.reject_reason,"
          + " 'received_at', e.received_at, 'enriched_at', e.enriched_at, 'evaluated_at', e.evaluated_at, 'published_at', e.published_at,"
          + " 'decisions', (select count(*) from lens.model_decisions d where d.event_id = e.event_id)) as item"
          + " from lens.events e where e.event_id = $1 and ($2::text is null or e.source = $2)";
  static final String DECISIONS_PAGE =
      "select to_jsonb(d) || jsonb_build_object('source', e.source, 'symbol', e.symbol, 'event_type', e.event_type, 'direction', e.direction) as item,"
          + " d.created_at as cursor_at, d.decision_id::text as cursor_id"
          + " from lens.model_decisions d join lens.events e on e.event_id = d.event_id"
          + " where ($1::text is null or d.model = $1) and ($2::text is null or e.symbol = $2) and ($3::text is null or d.decision = $3)"
          + " and ($4::timestamptz is null or d.created_at >= $4) and ($5::text is null or e.source = $5)"
          + " and ($6::timestamptz is null or (d.created_at, d.decision_id) < ($6, $7::uuid))"
          + " order by d.created_at desc, d.decision_id desc limit $8";

  // --- dead letters ----------------------------------------------------------------------------
  static final String DLQ_PAGE =
      "select to_jsonb(q) || jsonb_build_object('source', e.source) as item, q.created_at as cursor_at, q.id::text as cursor_id"
          + " from lens.dlq_entries q left join lens.events e on e.event_id = q.event_id"
          + " where ($1::text is null or q.stage = $1) and ($2::boolean is null or (q.resolved_at is not null) = $2)"
          + " and ($3::text is null or e.source = $3) and ($4::bigint is null or q.id < $4)"
          + " order by q.id desc limit $5";
  /** Locks the entry for its retry; {@code $2} (when set) the only source allowed. */
  static final String DLQ_LOCK =
      "select q.id, q.event_id, q.stage, q.payload, q.resolved_at, q.retry_count from lens.dlq_entries q left join lens.events e on e.event_id = q.event_id"
          + " where q.id = $1 and ($2::text is null or e.source = $2) for update of q";
  static final String DLQ_RETRIED =
      "update lens.dlq_entries set retry_count = retry_count + 1, last_retry_at = now() where id = $1 returning retry_count, last_retry_at";
  /** A failed event goes back to the status its stage starts from (enrich: queued, evaluate: enriched). */
  static final String EVENT_BACK_TO_STAGE = "update lens.events set status = $2, reject_reason = null where event_id = $1 and status = 'failed'";
}
