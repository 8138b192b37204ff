package ai.zmarty.credit;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

/**
 * Credit usage for operators (the admin dashboard), from database A's ledger with no user scope:
 * top users by credits in the last 24 h, credits and tokens by provider, and charged chats per
 * minute over the last hour. Usage rows are those with a provider (chat and voice charges, and
 * their refunds, which net out); grants are not usage.
 */
public final class CreditUsage {
  static final int TOP_USERS = 10;
  private final Pool chat;

  public CreditUsage(Pool chat) {
    this.chat = chat;
  }

  /** {top_users: [{user_id, credits, chats}], providers: [{provider, credits, chats, tokens_in, tokens_out}], chats_per_minute: [{minute, chats}], chats_last_minute}. */
  public Future<JsonObject> snapshot() {
    Future<JsonArray> users = chat.preparedQuery(CreditSql.USAGE_TOP_USERS).execute(Tuple.of(TOP_USERS)).map(rows -> {
      JsonArray out = new JsonArray();
      for (Row r : rows) {
        out.add(new JsonObject().put("user_id", r.getUUID("user_id").toString()).put("credits", r.getLong("credits")).put("chats", r.getLong("chats")));
      }
      return out;
    });
    Future<JsonArray> providers = chat.query(CreditSql.USAGE_BY_PROVIDER).execute().map(rows -> {
      JsonArray out = new JsonArray();
      for (Row r : rows) {
        out.add(new JsonObject().put("provider", r.getString("provider")).put("credits", r.getLong("credits")).put("chats", r.getLong("chats"))
            .put("tokens_in", r.getLong("tokens_in")).put("tokens_out", r.getLong("tokens_out")));
      }
      return out;
    });
    Future<JsonArray> perMinute = chat.query(CreditSql.CHATS_PER_MINUTE).execute().map(rows -> {
      JsonArray out = new JsonArray();
      for (Row r : rows) {
        out.add(new JsonObject().put("minute", r.getOffsetDateTime("minute").toInstant().toString()).put("chats", r.getLong("chats")));
      }
      return out;
    });
    return Future.all(users, providers, perMinute).map(v -> {
      JsonArray minutes = perMinute.result();
      long last = minutes.isEmpty() ? 0 : lastMinute(minutes.getJsonObject(minutes.size() - 1));
      return new JsonObject().put("top_users", users.result()).put("providers", providers.result()).put("chats_per_minute", minutes).put("chats_this_minute", last);
    });
  }

  private static long lastMinute(JsonObject newest) {
    java.time.Instant minute = java.time.Instant.parse(newest.getString("minute"));
    return minute.isBefore(java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MINUTES)) ? 0 : newest.getLong("chats");
  }
}
