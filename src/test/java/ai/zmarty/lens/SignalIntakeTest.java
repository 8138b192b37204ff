package ai.zmarty.lens;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.testing.ApiFixture;
import ai.zmarty.testing.Scrape;
import ai.zmarty.testing.Sql;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code POST /api/v1/signals} on a real API node and database B: every status it answers, and what it stores. */
class SignalIntakeTest {
  @RegisterExtension static final ApiFixture fixture = new ApiFixture();
  private static String alpha;
  private static String beta;

  @BeforeAll
  static void sources() throws Exception {
    SourceKeys keys = new SourceKeys(fixture.api().wiring().tradingPool());
    alpha = keys.add("alpha").await(10, TimeUnit.SECONDS).key();
    beta = keys.add("beta").await(10, TimeUnit.SECONDS).key();
  }

  static JsonObject signal(String source) {
    return new JsonObject().put("event_type", "OPEN_SIGNAL").put("symbol", "ethusdt").put("signal_direction", "short").put("entry_price", 3120.25)
        .put("ts_utc", Instant.now().toString()).put("source", source);
  }

  private static HttpResponse<Buffer> post(String key, Object body) throws Exception {
    HttpRequest<Buffer> req = fixture.api().client().post(fixture.api().port(), "127.0.0.1", "/api/v1/signals");
    if (key != null) {
      req.putHeader("X-API-Key", key);
    }
    return (body instanceof JsonObject json ? req.sendJsonObject(json) : req.putHeader("content-type", "application/json").sendBuffer(Buffer.buffer(body.toString())))
        .await(15, TimeUnit.SECONDS);
  }

  private static long count(String sql) {
    return Sql.count(fixture.dbs().trading(), sql);
  }

  @Test
  void anAcceptedSignalIsStoredWithItsTimelineRowAndItsEnrichMessage() throws Exception {
    HttpResponse<Buffer> r = post(alpha, signal("alpha").put("size", 2).put("idempotency_key", "first"));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(202);
    String id = r.bodyAsJsonObject().getString("event_id");
    assertThat(r.bodyAsJsonObject().getString("status")).isEqualTo("queued");
    assertThat(r.getHeader("RateLimit-Limit")).isEqualTo("120");
    assertThat(Long.parseLong(r.getHeader("RateLimit-Remaining"))).isBetween(100L, 119L);
    assertThat(Sql.one(fixture.dbs().trading(), "select source || ' ' || symbol || ' ' || direction || ' ' || entry_price || ' ' || size || ' ' || status || ' ' || feature_profile"
        + " || ' ' || (received_at is not null) from lens.events where event_id = '" + id + "'")).isEqualTo("alpha ETH/USDT short 3120.25 2 queued trend_follow_v1 true");
    assertThat(Sql.one(fixture.dbs().trading(), "select stage || ' ' || status from lens.processing_timeline where event_id = '" + id + "'")).isEqualTo("received queued");
    assertThat(count("select count(*) from pgmq.q_lens_enrich where message = jsonb_build_object('event_id', '" + id + "')")).isEqualTo(1);
    Scrape metrics = Scrape.of(fixture.api().client(), fixture.api().port());
    assertThat(metrics.sum("zmarty_lens_signals_received_total")).isGreaterThanOrEqualTo(1);
    assertThat(metrics.has("zmarty_queue_depth", "queue", "lens_enrich")).isTrue();
  }

  @Test
  void keysAreRequiredKnownAndActiveAndABodyMayNameOnlyItsOwnSource() throws Exception {
    HttpResponse<Buffer> missing = post(null, signal("alpha"));
    assertThat(missing.statusCode()).isEqualTo(401);
    assertThat(missing.bodyAsJsonObject().getString("message")).contains("X-API-Key");
    assertThat(post("zks_not-a-key", signal("alpha")).statusCode()).isEqualTo(401);
    SourceKeys keys = new SourceKeys(fixture.api().wiring().tradingPool());
    String gone = keys.add("gone").await(10, TimeUnit.SECONDS).key();
    assertThat(post(gone, signal("gone")).statusCode()).isEqualTo(202);
    keys.revoke("gone").await(10, TimeUnit.SECONDS);
    HttpResponse<Buffer> revoked = post(gone, signal("gone"));
    assertThat(revoked.statusCode()).isEqualTo(401);
    assertThat(revoked.bodyAsJsonObject().getString("error")).isEqualTo("unauthorized");

    long betas = count("select count(*) from lens.events where source = 'beta'");
    HttpResponse<Buffer> other = post(alpha, signal("beta"));
    assertThat(other.statusCode()).isEqualTo(403);
    assertThat(other.bodyAsJsonObject().getString("message")).contains("'alpha'").contains("'beta'");
    assertThat(count("select count(*) from lens.events where source = 'beta'")).isEqualTo(betas);
    Scrape metrics = Scrape.of(fixture.api().client(), fixture.api().port());
    assertThat(metrics.sum("zmarty_lens_intake_rejected_total", "reason", "auth")).isGreaterThanOrEqualTo(3);
    assertThat(metrics.sum("zmarty_lens_intake_rejected_total", "reason", "forbidden")).isGreaterThanOrEqualTo(1);
  }

  @Test
  void aBadBodyIs400NamingEveryBadFieldAndNothingIsStored() throws Exception {
    long before = count("select count(*) from lens.events");
    JsonObject bad = signal("alpha").put("event_type", "OPEN").put("entry_price", 0).put("ts_utc", "30/11/2026").put("symbol", "BTC/USDT/PERP").put("extra", 1);
    bad.remove("signal_direction");
    HttpResponse<Buffer> r = post(alpha, bad);
    assertThat(r.statusCode()).isEqualTo(400);
    JsonObject body = r.bodyAsJsonObject();
    assertThat(body.getString("error")).isEqualTo("bad_request");
    assertThat(body.getJsonObject("fields").fieldNames()).containsExactlyInAnyOrder("event_type", "entry_price", "ts_utc", "symbol", "signal_direction", "extra");
    assertThat(body.getString("message")).contains("signal_direction: is required");
    assertThat(post(alpha, "{\"event_type\":").statusCode()).isEqualTo(400);
    assertThat(post(alpha, "[1,2]").statusCode()).isEqualTo(400);
    assertThat(count("select count(*) from lens.events")).isEqualTo(before);
  }

  @Test
  void aBodyOver16KbIs413BeforeItIsRead() throws Exception {
    String big = signal("alpha").put("idempotency_key", "x".repeat(17_000)).encode();
    HttpResponse<Buffer> declared = post(alpha, big);
    assertThat(declared.statusCode()).isEqualTo(413);
    assertThat(declared.bodyAsJsonObject().getString("message")).contains("16 KB");
    // a body just under the limit is read and judged on its content
    String near = signal("alpha").put("idempotency_key", "y".repeat(15_000)).encode();
    HttpResponse<Buffer> judged = post(alpha, near);
    assertThat(judged.statusCode()).isEqualTo(400);
    assertThat(judged.bodyAsJsonObject().getJsonObject("fields").fieldNames()).containsExactly("idempotency_key");
  }

  @Test
  void theSameKeyFromTheSameSourceAnswersTheFirstEventAndItsCurrentStatusAndADifferentBodyIs422() throws Exception {
    JsonObject first = signal("alpha").put("idempotency_key", "tv-42");
    HttpResponse<Buffer> accepted = post(alpha, first);
    assertThat(accepted.statusCode()).isEqualTo(202);
    String id = accepted.bodyAsJsonObject().getString("event_id");
    Sql.exec(fixture.dbs().trading(), "update lens.events set status = 'enriched' where event_id = '" + id + "'");

    // the same meaning written differently (symbol form) is the same body
    HttpResponse<Buffer> again = post(alpha, first.copy().put("symbol", "ETH/USDT"));
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(again.bodyAsJsonObject().getString("event_id")).isEqualTo(id);
    assertThat(again.bodyAsJsonObject().getString("status")).isEqualTo("enriched");

    HttpResponse<Buffer> changed = post(alpha, first.copy().put("entry_price", 3200));
    assertThat(changed.statusCode()).isEqualTo(422);
    assertThat(changed.bodyAsJsonObject().getString("error")).isEqualTo("unprocessable");
    assertThat(changed.bodyAsJsonObject().getString("message")).contains("tv-42").contains(id);

    // another source's key space is its own
    assertThat(post(beta, signal("beta").put("idempotency_key", "tv-42")).statusCode()).isEqualTo(202);
    assertThat(count("select count(*) from lens.events where idempotency_key = 'tv-42'")).isEqualTo(2);
    assertThat(count("select count(*) from pgmq.q_lens_enrich where message->>'event_id' = '" + id + "'")).isEqualTo(1);
  }

  @Test
  void whenTheEnrichMessageCannotBeWrittenNoEventIsLeftBehind() throws Exception {
    long before = count("select count(*) from lens.events");
    Sql.exec(fixture.dbs().trading(), "alter table pgmq.q_lens_enrich rename to q_lens_enrich_away");
    try {
      HttpResponse<Buffer> r = post(alpha, signal("alpha").put("idempotency_key", "during-outage"));
      assertThat(r.statusCode()).isEqualTo(500);
      assertThat(r.bodyAsJsonObject().getString("error")).isEqualTo("internal");
    } finally {
      Sql.exec(fixture.dbs().trading(), "alter table pgmq.q_lens_enrich_away rename to q_lens_enrich");
    }
    assertThat(count("select count(*) from lens.events")).isEqualTo(before);
    assertThat(count("select count(*) from lens.processing_timeline t left join lens.events e using (event_id) where e.event_id is null")).isZero();
    // the sender retries with the same key: accepted once, now
    assertThat(post(alpha, signal("alpha").put("idempotency_key", "during-outage")).statusCode()).isEqualTo(202);
  }

  @Test
  void concurrentPostsWithOneIdempotencyKeyMakeOneEvent() throws Exception {
    JsonObject body = signal("alpha").put("idempotency_key", "burst-7");
    List<io.vertx.core.Future<HttpResponse<Buffer>>> sent = new java.util.ArrayList<>();
    for (int i = 0; i < 8; i++) {
      sent.add(fixture.api().client().post(fixture.api().port(), "127.0.0.1", "/api/v1/signals").putHeader("X-API-Key", alpha).sendJsonObject(body));
    }
    io.vertx.core.Future.all(sent).await(30, TimeUnit.SECONDS);
    List<HttpResponse<Buffer>> answers = sent.stream().map(io.vertx.core.Future::result).toList();
    // one accepted, every other one answered with that same event, none queued again
    assertThat(answers.stream().map(HttpResponse::statusCode).sorted().toList()).containsExactly(200, 200, 200, 200, 200, 200, 200, 202);
    assertThat(answers.stream().map(r -> r.bodyAsJsonObject().getString("event_id")).distinct().toList()).hasSize(1);
    String id = answers.get(0).bodyAsJsonObject().getString("event_id");
    assertThat(count("select count(*) from lens.events where source = 'alpha' and idempotency_key = 'burst-7'")).isEqualTo(1);
    assertThat(count("select count(*) from pgmq.q_lens_enrich where message->>'event_id' = '" + id + "'")).isEqualTo(1);
  }
}
