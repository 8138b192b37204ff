package ai.zmarty.lens;

import ai.zmarty.config.PgUrl;
import ai.zmarty.testing.Sql;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

/** Lens test data: decision messages as the evaluate stage publishes them, and sources with keys. */
final class Decisions {
  private Decisions() {}

  /** An {@code events.lens.decision} body. */
  static JsonObject decision(String model, String symbol, String eventType) {
    return new JsonObject()
        .put("event_id", UUID.randomUUID().toString())
        .put("decision_id", UUID.randomUUID().toString())
        .put("source", "bot1")
        .put("symbol", symbol)
        .put("event_type", eventType)
        .put("direction", "long")
        .put("model", model)
        .put("status", "ok")
        .put("decision", "ENTER")
        .put("confidence", 0.7)
        .put("entry_plan", new JsonObject().put("price", 100.0))
        .put("risk_plan", new JsonObject().put("stop", 95.0).put("targets", new JsonArray().add(110.0)))
        .put("size_pct", 0.05)
        .put("reasons", new JsonArray().add("trend up"))
        .put("prompt_version", "core-v1")
        .put("decided_at", "2026-11-30T00:00:00Z");
  }

  /** Creates source {@code name} whose key is {@code key} (stored as its SHA-256, as intake does); {@code revoked} revokes it. */
  static void source(PgUrl trading, String name, String key, boolean revoked) {
    Sql.exec(trading, "insert into lens.sources (name, key_hash, key_prefix, revoked_at) values ('" + name + "', sha256(convert_to('" + key + "', 'UTF8')), '"
        + key.substring(0, 8) + "', " + (revoked ? "now()" : "null") + ") on conflict (name) do nothing");
  }
}
