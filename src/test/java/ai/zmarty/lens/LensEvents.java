package ai.zmarty.lens;

import ai.zmarty.config.PgUrl;
import ai.zmarty.testing.Eventually;
import ai.zmarty.testing.Sql;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Lens events written with SQL the way intake writes them (the event, status queued, and its
 * lens_enrich message), and the reads the enrichment tests assert on.
 */
final class LensEvents {
  static final Duration WAIT = Duration.ofSeconds(30);
  private final PgUrl trading;

  LensEvents(PgUrl trading) {
    this.trading = trading;
    Sql.exec(trading, "insert into lens.sources (name, key_hash, key_prefix) values ('test', '\\x00'::bytea, 'zks_test') on conflict do nothing");
  }

  /** A queued event and its lens_enrich message. */
  UUID queue(String symbol, String direction, double entry, Instant ts, String profile) {
    UUID id = UUID.randomUUID();
    Sql.exec(trading, String.format(java.util.Locale.ROOT,
        "insert into lens.events (event_id, source, body_hash, event_type, symbol, direction, entry_price, ts_utc, feature_profile, body, status)"
            + " values ('%s', 'test', 'hash-%s', 'OPEN_SIGNAL', '%s', '%s', %s, '%s', '%s', '{}', 'queued')",
        id, id, symbol, direction, java.math.BigDecimal.valueOf(entry).toPlainString(), ts, profile));
    send(id);
    return id;
  }

  /** Another lens_enrich message for {@code id} (a redelivery, or a DLQ retry). */
  void send(UUID id) {
    Sql.exec(trading, "select pgmq.send('lens_enrich', '{\"event_id\": \"" + id + "\"}'::jsonb)");
  }

  String status(UUID id) {
    return Sql.one(trading, "select status from lens.events where event_id = '" + id + "'");
  }

  String awaitStatus(UUID id, String status) {
    Eventually.await(WAIT, "event " + id + " " + status, () -> status.equals(status(id)));
    return status;
  }

  /** Waits until {@code n} lens_enrich messages of the event are archived (handled and done). */
  void awaitArchived(UUID id, long n) {
    Eventually.await(WAIT, n + " lens_enrich message(s) of " + id + " archived", () -> archived(id) == n);
  }

  long archived(UUID id) {
    return Sql.count(trading, "select count(*) from pgmq.a_lens_enrich where message->>'event_id' = '" + id + "'");
  }

  long pending(UUID id) {
    return Sql.count(trading, "select count(*) from pgmq.q_lens_enrich where message->>'event_id' = '" + id + "'");
  }

  long evaluateMessages(UUID id) {
    return Sql.count(trading, "select count(*) from pgmq.q_lens_evaluate where message->>'event_id' = '" + id + "'");
  }

  long deadLetterQueue(UUID id) {
    return Sql.count(trading, "select count(*) from pgmq.q_dead_letter where message->'message'->>'event_id' = '" + id + "'");
  }

  long enrichedRows(UUID id) {
    return Sql.count(trading, "select count(*) from lens.enriched_events where event_id = '" + id + "'");
  }

  /** The enriched_events row as JSON (every column). */
  JsonObject enriched(UUID id) {
    return new JsonObject(Sql.one(trading, "select to_jsonb(e) from lens.enriched_events e where event_id = '" + id + "'"));
  }

  JsonObject event(UUID id) {
    return new JsonObject(Sql.one(trading, "select to_jsonb(e) from lens.events e where event_id = '" + id + "'"));
  }

  /** The timeline's stages in order. */
  java.util.List<String> stages(UUID id) {
    return Sql.column(trading, "select stage from lens.processing_timeline where event_id = '" + id + "' order by id");
  }

  JsonObject lastTimeline(UUID id, String stage) {
    return new JsonObject(Sql.one(trading, "select to_jsonb(t) from lens.processing_timeline t where event_id = '" + id + "' and stage = '" + stage + "' order by id desc limit 1"));
  }

  java.util.List<String> dlq(UUID id) {
    return Sql.column(trading, "select to_jsonb(d)::text from lens.dlq_entries d where event_id = '" + id + "' order by id");
  }
}
