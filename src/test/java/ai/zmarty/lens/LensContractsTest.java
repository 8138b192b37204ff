package ai.zmarty.lens;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.contracts.Contracts;
import ai.zmarty.contracts.FieldProblem;
import ai.zmarty.testing.ApiFixture;
import ai.zmarty.testing.Sql;
import ai.zmarty.testing.TestJwt;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every answer of the lens intake's routes (signals, events, decisions, dead letters, /health,
 * /ready) keeps the contract docs/openapi.yaml names for it: a real API node and database B, a
 * signal posted through the intake, a decision, timeline rows and a dead letter written for it.
 */
class LensContractsTest {
  @RegisterExtension static final ApiFixture fixture = new ApiFixture();
  private static final String SERVICE = "Bearer " + TestJwt.hs256(TestJwt.SECRET, TestJwt.claims(UUID.randomUUID()).put("role", "service_role"));
  private final Contracts contracts = Contracts.directory(Path.of("docs/contracts"));
  private final List<String> broken = new ArrayList<>();
  private final Set<String> checked = new TreeSet<>();
  private static final JsonObject OPENAPI = openapi();

  @SuppressWarnings("unchecked")
  private static JsonObject openapi() {
    try {
      return new JsonObject(new ObjectMapper(new YAMLFactory()).readValue(Path.of("docs/openapi.yaml").toFile(), java.util.Map.class));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Sends {@code req} and checks its answer has {@code status} and keeps a contract docs/openapi.yaml names for that operation and status. */
  private HttpResponse<Buffer> call(HttpRequest<Buffer> req, String key, JsonObject body, String path, int status) throws Exception {
    if (key != null) {
      req.putHeader("X-API-Key", key);
    } else {
      req.putHeader("Authorization", SERVICE);
    }
    HttpResponse<Buffer> r = (body == null ? req.send() : req.sendJsonObject(body)).await(15, TimeUnit.SECONDS);
    String where = req.method() + " " + req.uri();
    assertThat(r.statusCode()).as(where + ": " + r.bodyAsString()).isEqualTo(status);
    List<String> named = contractsOf(req.method().name().toLowerCase(java.util.Locale.ROOT), path, status);
    if (named.isEmpty()) {
      broken.add(where + ": docs/openapi.yaml names no contract for " + path + " " + status);
      return r;
    }
    checked.addAll(named);
    List<String> problems = new ArrayList<>();
    for (String contract : named) {
      List<FieldProblem> p = contracts.schema(contract).check(r.bodyAsJsonObject());
      if (p.isEmpty()) {
        return r;
      }
      problems.add(contract + ": " + p);
    }
    broken.add(where + " " + status + " breaks " + problems + " in " + r.bodyAsString());
    return r;
  }

  /** The contracts (any of which an answer may keep) docs/openapi.yaml names for one operation's answer. */
  private static List<String> contractsOf(String method, String path, int status) throws Exception {
    JsonObject doc = OPENAPI;
    JsonObject response = doc.getJsonObject("paths").getJsonObject(path).getJsonObject(method).getJsonObject("responses").getJsonObject(String.valueOf(status));
    if (response.getString("$ref") != null) {
      response = doc.getJsonObject("components").getJsonObject("responses").getJsonObject(response.getString("$ref").substring("#/components/responses/".length()));
    }
    JsonObject schema = response.getJsonObject("content").getJsonObject("application/json").getJsonObject("schema");
    List<String> out = new ArrayList<>();
    for (Object alt : schema.getJsonArray("anyOf", new io.vertx.core.json.JsonArray().add(schema))) {
      String ref = ((JsonObject) alt).getString("$ref");
      out.add(ref.substring("contracts/".length(), ref.length() - ".json".length()));
    }
    return out;
  }

  private HttpRequest<Buffer> get(String path) {
    return fixture.api().client().get(fixture.api().port(), "127.0.0.1", path);
  }

  private HttpRequest<Buffer> post(String path) {
    return fixture.api().client().post(fixture.api().port(), "127.0.0.1", path);
  }

  @Test
  void everyLensAnswerKeepsItsContract() throws Exception {
    String key = new SourceKeys(fixture.api().wiring().tradingPool()).add("demo").await(10, TimeUnit.SECONDS).key();
    JsonObject signal = IntakeRequest.examples().getJsonObject(0);
    String id = call(post("/api/v1/signals"), key, signal, "/api/v1/signals", 202).bodyAsJsonObject().getString("event_id");
    assertThat(call(post("/api/v1/signals"), key, signal, "/api/v1/signals", 200).bodyAsJsonObject().getBoolean("replayed")).isTrue();
    call(post("/api/v1/signals"), key, signal.copy().put("entry_price", -1).put("color", "red"), "/api/v1/signals", 400);
    Sql.exec(fixture.dbs().trading(), "insert into lens.model_decisions (event_id, model, status, decision, confidence, entry_plan, risk_plan, size_pct, reasons,"
        + " prompt_version, prompt_hash, latency_ms, tokens_in, tokens_out, cost) values ('" + id + "', 'gpt-4o-mini', 'ok', 'ENTER', 0.72,"
        + " '{\"entry\": 97250.5}', '{\"stop\": 95800, \"take_profit\": 100200}', 2.5, '[\"trend up on 1h and 4h\", \"RSI 58\"]', 'lens-v1', 'b1946ac9', 812, 640, 85, 0.000147)");
    Sql.exec(fixture.dbs().trading(), "insert into lens.dlq_entries (event_id, stage, error, payload) values ('" + id + "', 'enrich', 'market data unavailable: HTTP 503',"
        + " jsonb_build_object('event_id', '" + id + "'))");
    long dlq = Long.parseLong(Sql.one(fixture.dbs().trading(), "select max(id) from lens.dlq_entries"));
    call(get("/api/v1/events?limit=1"), null, null, "/api/v1/events", 200);
    call(get("/api/v1/events/" + id), key, null, "/api/v1/events/{id}", 200);
    call(get("/api/v1/events/" + id + "/status"), key, null, "/api/v1/events/{id}/status", 200);
    call(get("/api/v1/decisions"), null, null, "/api/v1/decisions", 200);
    call(get("/api/v1/dlq"), null, null, "/api/v1/dlq", 200);
    call(post("/api/v1/dlq/" + dlq + "/retry"), null, null, "/api/v1/dlq/{id}/retry", 200);
    call(get("/api/v1/events?status=nope"), null, null, "/api/v1/events", 400);
    call(get("/api/v1/events/" + id + "/status"), null, null, "/api/v1/events/{id}/status", 200);
    call(get("/api/v1/events/not-a-uuid"), null, null, "/api/v1/events/{id}", 400);
    call(get("/api/v1/dlq?stage=later"), key, null, "/api/v1/dlq", 400);
    call(post("/api/v1/dlq/" + dlq + "/retry"), key, null, "/api/v1/dlq/{id}/retry", 200);
    call(get("/api/v1/events/" + UUID.randomUUID()), key, null, "/api/v1/events/{id}", 404);
    call(get("/api/v1/decisions"), "zks_not-a-key", null, "/api/v1/decisions", 401);
    call(get("/health"), null, null, "/health", 200);
    call(get("/ready"), null, null, "/ready", 200);
    // a lens_enrich message ready for an hour and no worker: not ready
    Sql.exec(fixture.dbs().trading(), "update pgmq.q_lens_enrich set enqueued_at = now() - interval '1 hour', vt = now() - interval '1 hour'");
    JsonObject down = call(get("/ready"), null, null, "/ready", 503).bodyAsJsonObject();
    assertThat(down.getString("message")).startsWith("not ready: queue:lens_enrich (oldest ready message has waited ");
    assertThat(broken).as("%d answers break their contracts", broken.size()).isEmpty();
    assertThat(checked).contains("http.lens.signal.response", "http.lens.invalid", "http.lens.events.response", "http.lens.event.response", "http.lens.event.status.response",
        "http.lens.decisions.response", "http.lens.dlq.response", "http.lens.dlq.retry.response", "http.health.response", "http.ready.response");
  }
}
