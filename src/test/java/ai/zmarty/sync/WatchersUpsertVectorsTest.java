package ai.zmarty.sync;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.testing.Sql;
import ai.zmarty.testing.TestDatabases;
import ai.zmarty.testing.TestNode;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The receiver's shared test vectors (supabase/functions/watchers-upsert/testdata/vectors.json)
 * against the Java receiver over real HTTP and the real database B. The edge function runs the
 * same file in handler_test.ts ({@link EdgeFunctionDenoTest}), so both answer alike: the same 401s
 * and 400s, the same idempotency, the same rows.
 */
@ExtendWith(VertxExtension.class)
class WatchersUpsertVectorsTest {
  static final Path VECTORS = Path.of("supabase/functions/watchers-upsert/testdata/vectors.json");

  /** Empties what a delivery writes, so every case starts alike (the edge function's test does the same). */
  static final String RESET = "truncate public.watchers, public.sync_deliveries; delete from pgmq.q_ingest_indicators";
  static final String WATCHERS =
      "select user_id || ' ' || symbol || ' ' || timeframe || ' ' || case when active then 'active' else 'inactive' end"
          + " || case when paused_at is not null then ' paused' else '' end from public.watchers order by 1";
  static final String INGEST = "select message::text from pgmq.q_ingest_indicators order by msg_id";

  static JsonObject vectors() throws Exception {
    return new JsonObject(Files.readString(VECTORS));
  }

  @Test
  void everyVectorGetsItsAnswerAndLeavesItsRows(Vertx vertx) throws Exception {
    JsonObject doc = vectors();
    String secret = doc.getString("secret");
    TestDatabases.Pair dbs = TestDatabases.migrated();
    TestNode node = TestNode.api(vertx, dbs, Map.of("WEBHOOK_SECRET", secret, "WEBHOOK_TOLERANCE", doc.getInteger("tolerance_seconds") + "s"));
    List<String> failures = new ArrayList<>();
    JsonArray cases = doc.getJsonArray("cases");
    assertThat(cases).hasSizeGreaterThan(20);
    for (Object c : cases) {
      JsonObject vector = (JsonObject) c;
      String name = vector.getString("name");
      Sql.exec(dbs.trading(), RESET);
      for (Object s : vector.getJsonArray("setup", new JsonArray())) {
        Sql.exec(dbs.trading(), (String) s);
      }
      int n = 0;
      for (Object st : vector.getJsonArray("steps")) {
        JsonObject step = (JsonObject) st;
        HttpResponse<Buffer> r = send(node, secret, step.getJsonObject("request"));
        JsonObject expect = step.getJsonObject("expect");
        String where = name + ", step " + (++n);
        if (r.statusCode() != expect.getInteger("status")) {
          failures.add(where + ": status " + r.statusCode() + " " + r.bodyAsString() + ", expected " + expect.getInteger("status"));
        } else if (!matches(expect.getJsonObject("body"), r.bodyAsJsonObject())) {
          failures.add(where + ": body " + r.bodyAsString() + ", expected " + expect.getJsonObject("body").encode());
        }
      }
      JsonObject rows = vector.getJsonObject("rows");
      List<String> watchers = Sql.column(dbs.trading(), WATCHERS);
      if (!watchers.equals(rows.getJsonArray("watchers").getList())) {
        failures.add(name + ": watchers " + watchers + ", expected " + rows.getJsonArray("watchers"));
      }
      long deliveries = Sql.count(dbs.trading(), "select count(*) from public.sync_deliveries");
      if (deliveries != rows.getLong("deliveries")) {
        failures.add(name + ": " + deliveries + " deliveries recorded, expected " + rows.getLong("deliveries"));
      }
      List<JsonObject> ingest = Sql.column(dbs.trading(), INGEST).stream().map(JsonObject::new).toList();
      if (!ingest.equals(rows.getJsonArray("ingest").stream().map(o -> (JsonObject) o).toList())) {
        failures.add(name + ": ingest messages " + ingest + ", expected " + rows.getJsonArray("ingest"));
      }
    }
    assertThat(failures).as("vectors the Java receiver does not meet").isEmpty();
  }

  /** An expected body against the actual one: same keys, same values, "$number" for any integer. */
  static boolean matches(JsonObject expected, JsonObject actual) {
    if (actual == null || !expected.fieldNames().equals(actual.fieldNames())) {
      return false;
    }
    for (String key : expected.fieldNames()) {
      Object e = expected.getValue(key);
      Object a = actual.getValue(key);
      boolean same = "$number".equals(e) ? a instanceof Number : e instanceof JsonObject eo ? a instanceof JsonObject ao && matches(eo, ao) : java.util.Objects.equals(e, a);
      if (!same) {
        return false;
      }
    }
    return true;
  }

  private static HttpResponse<Buffer> send(TestNode node, String secret, JsonObject request) throws Exception {
    byte[] body = request.containsKey("body_raw")
        ? request.getString("body_raw").getBytes(StandardCharsets.UTF_8)
        : request.getJsonObject("body").encode().getBytes(StandardCharsets.UTF_8);
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("content-type", "application/json");
    String ts = timestamp(request.getString("timestamp", "now"));
    String signature = switch (request.getString("signature", "valid")) {
      case "valid" -> sign(secret, ts, body);
      case "tampered" -> sign(secret, ts, (new String(body, StandardCharsets.UTF_8) + " ").getBytes(StandardCharsets.UTF_8));
      case "other-secret" -> sign("another-secret-another-secret-0000000", ts, body);
      case "missing" -> null;
      default -> throw new IllegalArgumentException("signature " + request.getString("signature"));
    };
    if (ts != null) {
      headers.add(WebhookSignature.TIMESTAMP_HEADER, ts);
    }
    if (signature != null) {
      headers.add(WebhookSignature.SIGNATURE_HEADER, signature);
    }
    String id = request.getString("webhook_id");
    if (id != null) {
      headers.add(WebhookSignature.ID_HEADER, id.equals("event") ? request.getJsonObject("body").getString("event_id") : id);
    }
    HttpRequest<Buffer> post = node.client().post(node.port(), "127.0.0.1", WatchersUpsertHook.PATH).putHeaders(headers);
    return post.sendBuffer(Buffer.buffer(body)).await(10, TimeUnit.SECONDS);
  }

  /** now, now-N, now+N (unix seconds), missing (null) or a literal. */
  static String timestamp(String spec) {
    long now = Instant.now().getEpochSecond();
    if (spec.equals("missing")) {
      return null;
    }
    if (spec.equals("now")) {
      return Long.toString(now);
    }
    if (spec.startsWith("now-") || spec.startsWith("now+")) {
      long delta = Long.parseLong(spec.substring(4));
      return Long.toString(spec.charAt(3) == '-' ? now - delta : now + delta);
    }
    return spec;
  }

  private static String sign(String secret, String ts, byte[] body) {
    return new WebhookSignature(secret, Duration.ofMinutes(5)).sign(ts == null ? "0" : ts, body);
  }
}
