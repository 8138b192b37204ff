package ai.zmarty.lens;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.testing.ApiFixture;
import ai.zmarty.testing.Sql;
import ai.zmarty.testing.TestJwt;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The query, audit and dead-letter routes and the probes, on rows written straight into database B. */
class EventAuditTest {
  @RegisterExtension static final ApiFixture fixture = new ApiFixture();
  private static final String SERVICE = "Bearer " + TestJwt.hs256(TestJwt.SECRET, TestJwt.claims(UUID.randomUUID()).put("role", "service_role"));
  private static String alpha;
  private static String beta;
  private static final List<UUID> alphaEvents = new ArrayList<>();
  private static UUID betaEvent;
  private static long alphaDlq;
  private static long betaDlq;
  private static long resolvedDlq;

  @BeforeAll
  static void seed() throws Exception {
    SourceKeys keys = new SourceKeys(fixture.api().wiring().tradingPool());
    alpha = keys.add("alpha").await(10, TimeUnit.SECONDS).key();
    beta = keys.add("beta").await(10, TimeUnit.SECONDS).key();
    // seven alpha events, two of them received at the very same instant (the id breaks the tie)
    String[] ages = {"1 minute", "2 minutes", "3 minutes", "4 minutes", "5 minutes", "10 minutes", "10 minutes"};
    String[] statuses = {"queued", "enriched", "evaluated", "published", "rejected", "failed", "queued"};
    for (int i = 0; i < ages.length; i++) {
      alphaEvents.add(event("alpha", i % 2 == 0 ? "BTC/USDT" : "ETH/USDT", statuses[i], "now() - interval '" + ages[i] + "'"));
    }
    betaEvent = event("beta", "BTC/USDT", "evaluated", "now() - interval '30 seconds'");
    UUID judged = alphaEvents.get(2);
    exec("insert into lens.enriched_events (event_id, provider, provider_version, signal_age_seconds, model_payload, enrichment_duration_ms)"
        + " values ('" + judged + "', 'simulated', '1', 2.5, '{\"mid\": 97000}', 41)");
    exec("insert into lens.model_decisions (event_id, model, status, decision, confidence, prompt_version, prompt_hash, latency_ms) values"
        + " ('" + judged + "', 'offline', 'ok', 'ENTER', 0.8, 'v1', 'h', 3), ('" + judged + "', 'gpt', 'timeout', 'IGNORE', 0, 'v1', 'h', 3000),"
        + " ('" + betaEvent + "', 'gpt', 'ok', 'WAIT', 0.4, 'v1', 'h', 900)");
    exec("insert into lens.processing_timeline (event_id, stage, status) values ('" + judged + "', 'received', 'queued'), ('" + judged + "', 'enriched', 'enriched'),"
        + " ('" + judged + "', 'evaluated', 'evaluated')");
    alphaDlq = Long.parseLong(Sql.one(fixture.dbs().trading(), "insert into lens.dlq_entries (event_id, stage, error, payload) values ('" + alphaEvents.get(5)
        + "', 'enrich', 'market down', jsonb_build_object('event_id', '" + alphaEvents.get(5) + "')) returning id"));
    betaDlq = Long.parseLong(Sql.one(fixture.dbs().trading(), "insert into lens.dlq_entries (event_id, stage, error, payload) values ('" + betaEvent
        + "', 'evaluate', 'all models failed', '{}') returning id"));
    resolvedDlq = Long.parseLong(Sql.one(fixture.dbs().trading(), "insert into lens.dlq_entries (event_id, stage, error, payload, resolved_at) values ('" + alphaEvents.get(1)
        + "', 'evaluate', 'timeout', '{}', now()) returning id"));
  }

  private static UUID event(String source, String symbol, String status, String receivedAt) {
    UUID id = UUID.randomUUID();
    exec("insert into lens.events (event_id, source, body_hash, event_type, symbol, direction, entry_price, ts_utc, feature_profile, body, status, received_at)"
        + " values ('" + id + "', '" + source + "', 'h', 'OPEN_SIGNAL', '" + symbol + "', 'long', 100, now(), 'trend_follow_v1', '{}', '" + status + "', " + receivedAt + ")");
    return id;
  }

  private static void exec(String sql) {
    Sql.exec(fixture.dbs().trading(), sql);
  }

  private static HttpResponse<Buffer> get(String path, String key, String bearer) throws Exception {
    return send(fixture.api().client().get(fixture.api().port(), "127.0.0.1", path), key, bearer);
  }

  private static HttpResponse<Buffer> retry(long id, String key, String bearer) throws Exception {
    return send(fixture.api().client().post(fixture.api().port(), "127.0.0.1", "/api/v1/dlq/" + id + "/retry"), key, bearer);
  }

  private static HttpResponse<Buffer> send(HttpRequest<Buffer> req, String key, String bearer) throws Exception {
    if (key != null) {
      req.putHeader("X-API-Key", key);
    }
    if (bearer != null) {
      req.putHeader("Authorization", bearer);
    }
    return req.send().await(15, TimeUnit.SECONDS);
  }

  private static List<String> ids(JsonArray items, String field) {
    return items.stream().map(o -> String.valueOf(((JsonObject) o).getValue(field))).toList();
  }

  @Test
  void keysetPagesWalkEveryEventNewestFirstWithoutRepeatsOrGaps() throws Exception {
    List<String> expected = Sql.column(fixture.dbs().trading(), "select event_id from lens.events where source = 'alpha' order by received_at desc, event_id desc");
    List<String> walked = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      HttpResponse<Buffer> r = get("/api/v1/events?source=alpha&limit=3" + (cursor == null ? "" : "&cursor=" + cursor), null, SERVICE);
      assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
      walked.addAll(ids(r.bodyAsJsonObject().getJsonArray("items"), "event_id"));
      cursor = r.bodyAsJsonObject().getString("next_cursor");
      pages++;
    } while (cursor != null);
    assertThat(pages).isEqualTo(3);
    assertThat(walked).hasSize(7).containsExactlyElementsOf(expected);
    // filters narrow the walk
    JsonArray queued = get("/api/v1/events?status=queued&symbol=BTCUSDT", null, SERVICE).bodyAsJsonObject().getJsonArray("items");
    assertThat(ids(queued, "event_id")).containsExactlyInAnyOrder(alphaEvents.get(0).toString(), alphaEvents.get(6).toString());
    JsonArray recent = get("/api/v1/events?since=" + java.time.Instant.now().minusSeconds(150) + "&until=" + java.time.Instant.now().plusSeconds(60), null, SERVICE)
        .bodyAsJsonObject().getJsonArray("items");
    assertThat(ids(recent, "event_id")).containsExactly(betaEvent.toString(), alphaEvents.get(0).toString(), alphaEvents.get(1).toString());
  }

  @Test
  void aSourceSeesOnlyItsOwnEventsAndAServiceTokenSeesAll() throws Exception {
    JsonArray mine = get("/api/v1/events?limit=200", alpha, null).bodyAsJsonObject().getJsonArray("items");
    assertThat(mine).hasSize(7);
    assertThat(mine.stream().map(o -> ((JsonObject) o).getString("source"))).containsOnly("alpha");
    assertThat(get("/api/v1/events?source=beta", alpha, null).statusCode()).isEqualTo(403);
    assertThat(get("/api/v1/events/" + betaEvent, alpha, null).statusCode()).isEqualTo(404);
    assertThat(get("/api/v1/events/" + betaEvent + "/status", alpha, null).statusCode()).isEqualTo(404);
    assertThat(get("/api/v1/events/" + betaEvent, beta, null).statusCode()).isEqualTo(200);
    assertThat(get("/api/v1/events/" + betaEvent, null, SERVICE).statusCode()).isEqualTo(200);
    assertThat(get("/api/v1/events?limit=200", null, SERVICE).bodyAsJsonObject().getJsonArray("items")).hasSize(8);
    assertThat(ids(get("/api/v1/decisions", alpha, null).bodyAsJsonObject().getJsonArray("items"), "source")).containsOnly("alpha").hasSize(2);
  }

  @Test
  void anEventComesWithItsEnrichmentDecisionsAndTimelineAndItsStatusAlone() throws Exception {
    UUID judged = alphaEvents.get(2);
    JsonObject detail = get("/api/v1/events/" + judged, alpha, null).bodyAsJsonObject();
    assertThat(detail.getJsonObject("event").getString("status")).isEqualTo("evaluated");
    assertThat(detail.getJsonObject("event").getString("symbol")).isEqualTo("BTC/USDT");
    assertThat(detail.getJsonObject("enrichment").getJsonObject("model_payload").getInteger("mid")).isEqualTo(97000);
    assertThat(ids(detail.getJsonArray("decisions"), "model")).containsExactly("gpt", "offline");
    assertThat(ids(detail.getJsonArray("timeline"), "stage")).containsExactly("received", "enriched", "evaluated");
    JsonObject bare = get("/api/v1/events/" + alphaEvents.get(0), alpha, null).bodyAsJsonObject();
    assertThat(bare.getValue("enrichment")).isNull();
    assertThat(bare.getJsonArray("decisions")).isEmpty();

    JsonObject status = get("/api/v1/events/" + judged + "/status", alpha, null).bodyAsJsonObject();
    assertThat(status.getString("status")).isEqualTo("evaluated");
    assertThat(status.getInteger("decisions")).isEqualTo(2);
    assertThat(status.getString("event_id")).isEqualTo(judged.toString());
  }

  @Test
  void decisionsAreFilteredByModelSymbolDecisionAndSince() throws Exception {
    assertThat(ids(get("/api/v1/decisions?model=gpt", null, SERVICE).bodyAsJsonObject().getJsonArray("items"), "status")).containsExactlyInAnyOrder("timeout", "ok");
    assertThat(ids(get("/api/v1/decisions?decision=ENTER", null, SERVICE).bodyAsJsonObject().getJsonArray("items"), "model")).containsExactly("offline");
    assertThat(get("/api/v1/decisions?symbol=ETH/USDT", null, SERVICE).bodyAsJsonObject().getJsonArray("items")).isEmpty();
    assertThat(get("/api/v1/decisions?symbol=btc-perp&model=gpt", null, SERVICE).bodyAsJsonObject().getJsonArray("items")).hasSize(2);
    assertThat(get("/api/v1/decisions?since=2999-01-01T00:00:00Z", null, SERVICE).bodyAsJsonObject().getJsonArray("items")).isEmpty();
  }

  @Test
  void badFiltersAre400NamingEachAndUnknownIdsAre404() throws Exception {
    HttpResponse<Buffer> r = get("/api/v1/events?status=bogus&limit=0&color=red&since=yesterday&cursor=nope", alpha, null);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.bodyAsJsonObject().getJsonObject("fields").fieldNames()).containsExactlyInAnyOrder("status", "limit", "color", "since", "cursor");
    assertThat(r.bodyAsJsonObject().getString("message")).startsWith("bad query: ").contains("status: must be one of queued");
    assertThat(get("/api/v1/decisions?decision=BUY", null, SERVICE).statusCode()).isEqualTo(400);
    assertThat(get("/api/v1/dlq?stage=publish&resolved=maybe", null, SERVICE).bodyAsJsonObject().getJsonObject("fields").fieldNames()).containsExactlyInAnyOrder("stage", "resolved");
    assertThat(get("/api/v1/events?since=2026-01-02T00:00:00Z&until=2026-01-01T00:00:00Z", null, SERVICE).statusCode()).isEqualTo(400);
    assertThat(get("/api/v1/events/not-a-uuid", alpha, null).statusCode()).isEqualTo(400);
    HttpResponse<Buffer> unknown = get("/api/v1/events/" + UUID.randomUUID(), null, SERVICE);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.bodyAsJsonObject().getString("error")).isEqualTo("not_found");
    assertThat(retry(987654, null, SERVICE).statusCode()).isEqualTo(404);
  }

  @Test
  void onlyASourceKeyOrAServiceRoleTokenGetsIn() throws Exception {
    assertThat(get("/api/v1/events", null, null).statusCode()).isEqualTo(401);
    assertThat(get("/api/v1/events", "zks_unknown", null).statusCode()).isEqualTo(401);
    assertThat(get("/api/v1/events", null, "Bearer not.a.jwt").statusCode()).isEqualTo(401);
    HttpResponse<Buffer> user = get("/api/v1/dlq", null, "Bearer " + TestJwt.valid(UUID.randomUUID()));
    assertThat(user.statusCode()).isEqualTo(403);
    assertThat(user.bodyAsJsonObject().getString("error")).isEqualTo("forbidden");
  }

  @Test
  void deadLettersAreListedByStageAndResolutionAndRetriedBackToTheirStageOnce() throws Exception {
    assertThat(ids(get("/api/v1/dlq?resolved=false", null, SERVICE).bodyAsJsonObject().getJsonArray("items"), "id")).containsExactly(Long.toString(betaDlq), Long.toString(alphaDlq));
    assertThat(ids(get("/api/v1/dlq?stage=evaluate", null, SERVICE).bodyAsJsonObject().getJsonArray("items"), "id")).containsExactly(Long.toString(resolvedDlq), Long.toString(betaDlq));
    assertThat(ids(get("/api/v1/dlq", alpha, null).bodyAsJsonObject().getJsonArray("items"), "source")).containsOnly("alpha").hasSize(2);

    UUID failed = alphaEvents.get(5);
    HttpResponse<Buffer> r = retry(alphaDlq, alpha, null);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    assertThat(r.bodyAsJsonObject().getInteger("retry_count")).isEqualTo(1);
    assertThat(r.bodyAsJsonObject().getString("queue")).isEqualTo("lens_enrich");
    assertThat(Sql.count(fixture.dbs().trading(), "select count(*) from pgmq.q_lens_enrich where message = jsonb_build_object('event_id', '" + failed + "')")).isEqualTo(1);
    assertThat(Sql.one(fixture.dbs().trading(), "select retry_count || ' ' || (last_retry_at is not null) || ' ' || (resolved_at is null) from lens.dlq_entries where id = " + alphaDlq))
        .isEqualTo("1 true true");
    assertThat(Sql.one(fixture.dbs().trading(), "select status from lens.events where event_id = '" + failed + "'")).isEqualTo("queued");
    assertThat(Sql.one(fixture.dbs().trading(), "select stage || ' ' || status from lens.processing_timeline where event_id = '" + failed + "' order by id desc limit 1"))
        .isEqualTo("retried queued");

    assertThat(retry(betaDlq, alpha, null).statusCode()).as("another source's dead letter").isEqualTo(404);
    HttpResponse<Buffer> resolved = retry(resolvedDlq, null, SERVICE);
    assertThat(resolved.statusCode()).isEqualTo(409);
    assertThat(resolved.bodyAsJsonObject().getString("error")).isEqualTo("conflict");
    assertThat(Sql.count(fixture.dbs().trading(), "select retry_count from lens.dlq_entries where id = " + resolvedDlq)).isZero();
    assertThat(retry(betaDlq, null, SERVICE).bodyAsJsonObject().getString("queue")).isEqualTo("lens_evaluate");
    assertThat(fixture.api().client().post(fixture.api().port(), "127.0.0.1", "/api/v1/dlq/abc/retry").putHeader("Authorization", SERVICE).send().await(15, TimeUnit.SECONDS).statusCode())
        .isEqualTo(400);
  }

  @Test
  void healthIsLivenessAndReadyTurns503WhenALensMessageWaitsTooLong() throws Exception {
    HttpResponse<Buffer> live = get("/health", null, null);
    assertThat(live.statusCode()).isEqualTo(200);
    assertThat(live.bodyAsJsonObject().getString("status")).isEqualTo("UP");
    HttpResponse<Buffer> ready = get("/ready", null, null);
    assertThat(ready.statusCode()).as(ready.bodyAsString()).isEqualTo(200);
    assertThat(ids(ready.bodyAsJsonObject().getJsonArray("checks"), "name")).contains("database_a", "database_b", "queue:lens_enrich", "queue:lens_evaluate");

    // a message no worker has taken for ten minutes (LENS_READY_MAX_AGE is 120 s)
    exec("select pgmq.send('lens_evaluate', jsonb_build_object('event_id', '" + betaEvent + "'))");
    exec("update pgmq.q_lens_evaluate set vt = now() - interval '10 minutes', enqueued_at = now() - interval '10 minutes'");
    HttpResponse<Buffer> stuck = get("/ready", null, null);
    assertThat(stuck.statusCode()).isEqualTo(503);
    assertThat(stuck.bodyAsJsonObject().getString("error")).isEqualTo("unavailable");
    assertThat(stuck.bodyAsJsonObject().getString("message")).contains("queue:lens_evaluate").contains("LENS_READY_MAX_AGE").doesNotContain("database");
    assertThat(get("/health", null, null).statusCode()).as("liveness does not depend on the queues").isEqualTo(200);
    exec("delete from pgmq.q_lens_evaluate");
  }
}
