package ai.zmarty.lens;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.config.MarketConfig;
import ai.zmarty.config.ZmartyConfig;
import ai.zmarty.demo.DemoSeed;
import ai.zmarty.demo.DemoSignal;
import ai.zmarty.testing.Eventually;
import ai.zmarty.testing.LogCapture;
import ch.qos.logback.classic.spi.ILoggingEvent;
import net.logstash.logback.argument.StructuredArgument;
import ai.zmarty.testing.RawWebSocket;
import ai.zmarty.testing.Scrape;
import ai.zmarty.testing.Sql;
import ai.zmarty.testing.TestDatabases;
import ai.zmarty.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 12's acceptance: "the demo's curl line ends with a decision on a socket". A node on the
 * embedded defaults (simulated market, the offline evaluator, every role), the demo source's key,
 * and the line the demo prints, built by the demo's own code ({@link DemoSignal}), run by bash.
 */
class DemoCurlDecisionTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static Vertx vertx;
  private static TestDatabases.Pair dbs;
  private static ZmartyConfig config;
  private static TestNode node;

  @BeforeAll
  static void node() throws Exception {
    vertx = Vertx.vertx();
    dbs = TestDatabases.migrated();
    // only a faster poll than the default: the market, the models and the profiles are the embedded defaults
    config = dbs.config(Map.of("QUEUE_IDLE_POLL", "100ms"));
    assertThat(config.market().provider()).isEqualTo(MarketConfig.Provider.SIMULATED);
    assertThat(config.lensEvaluate().models()).containsExactly("offline");
    node = TestNode.start(vertx, config, dbs.chat(), dbs.trading());
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  /** The words bash makes of {@code line}'s arguments (quotes removed, {@code $(…)} run), one per element. */
  private static List<String> shellWords(String line) throws Exception {
    assertThat(line).startsWith("curl ");
    String out = run("printf '%s\\n' " + line.substring("curl ".length()));
    return Arrays.asList(out.split("\n"));
  }

  private static Scrape scrape() {
    try {
      return Scrape.of(node.client(), node.port());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String run(String script) throws Exception {
    Process p = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true).start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).as(script).isTrue();
    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }

  @Test
  void theDemosCurlLineEndsWithADecisionOnASocket() throws Exception {
    String key = new SourceKeys(node.wiring().tradingPool()).rotate(DemoSeed.DEMO_SOURCE).await(10, TimeUnit.SECONDS).key();
    DemoSignal signal = DemoSignal.quoted(vertx, config.market(), "http://127.0.0.1:" + node.port(), key, "BTC/USDT").await(60, TimeUnit.SECONDS);
    String line = signal.curl();

    // the printed text is exactly that request, as a shell reads it
    Instant before = Instant.now().minusSeconds(1);
    List<String> words = shellWords(line);
    assertThat(words).hasSize(8);
    assertThat(words.subList(0, 7)).containsExactly("-s", signal.url(), "-H", "X-API-Key: " + key, "-H", "content-type: application/json", "-d");
    assertThat(signal.url()).isEqualTo("http://127.0.0.1:" + node.port() + "/api/v1/signals");
    JsonObject body = new JsonObject(words.get(7));
    Instant ts = Instant.parse(body.getString("ts_utc"));
    assertThat(ts).as("ts_utc is the shell's now").isBetween(before.truncatedTo(java.time.temporal.ChronoUnit.SECONDS), Instant.now().plusSeconds(1));
    assertThat(body).isEqualTo(signal.body(ts));
    assertThat(body.getString("source")).isEqualTo(DemoSeed.DEMO_SOURCE);

    String eventId;
    LogCapture logs = new LogCapture();
    try (logs; RawWebSocket ws = RawWebSocket.connect(node.port(), "/ws/decisions", Map.of("X-API-Key", key))) {
      assertThat(ws.upgraded()).as(ws.status()).isTrue();
      assertThat(ws.nextJson(WAIT).getString("as")).isEqualTo("source:demo");
      ws.sendText("{\"op\":\"subscribe\",\"symbols\":[\"BTC/USDT\"]}");
      assertThat(ws.nextJson(WAIT).getString("type")).isEqualTo("subscribed");

      // the line as printed, run by bash (curl)
      JsonObject accepted = new JsonObject(run(line));
      assertThat(accepted.getString("status")).as(accepted.encode()).isEqualTo("queued");
      eventId = accepted.getString("event_id");

      JsonObject frame = ws.nextJson(WAIT);
      assertThat(frame.getString("type")).as(frame.encode()).isEqualTo("decision");
      JsonObject decision = frame.getJsonObject("data");
      assertThat(decision.getString("event_id")).isEqualTo(eventId);
      assertThat(decision.getString("model")).isEqualTo("offline");
      assertThat(decision.getString("status")).isEqualTo("ok");
      assertThat(decision.getString("source")).isEqualTo("demo");
      assertThat(decision.getString("decision_id")).isNotBlank();
      Eventually.await(WAIT, "the evaluate job done", () -> logs.events().stream().anyMatch(e -> e.getFormattedMessage().startsWith("lens evaluate done")));
    }
    // every log line of the event's journey (intake, enrichment, evaluation, the poller's job lines of the lens queues) carries its
    // event_id as a field; the judge's periodic scoring runs are not part of it, nor lines naming another event
    List<ILoggingEvent> journey = logs.events().stream()
        .filter(e -> e.getLoggerName().startsWith("ai.zmarty.lens.") && !e.getLoggerName().startsWith("ai.zmarty.lens.Judge")
            || e.getLoggerName().startsWith("ai.zmarty.queue.") && e.getFormattedMessage().startsWith("job ") && e.getFormattedMessage().contains("queue=lens_"))
        .filter(e -> !e.getFormattedMessage().matches("(?s).*event_id=(?!" + eventId + ")[0-9a-f-]{36}.*"))
        .toList();
    assertThat(journey.stream().map(ILoggingEvent::getMessage).map(m -> m.contains(" {}") ? m.substring(0, m.indexOf(" {}")) : m).toList())
        .contains("signal accepted", "lens enriched", "lens model answered", "lens event evaluated", "lens evaluate done", "job archived");
    assertThat(journey).allSatisfy(e -> assertThat(Arrays.stream(e.getArgumentArray() == null ? new Object[0] : e.getArgumentArray())
        .anyMatch(a -> a instanceof StructuredArgument && a.toString().equals("event_id=" + eventId))).as(e.getFormattedMessage()).isTrue());
    // the series issue 12 lists, on this one node: each stage counted and timed
    // (the queue depths are read before each scrape, so they appear from the second one on)
    Scrape metrics = Eventually.until(WAIT, "a scrape with the lens queues' depths", DemoCurlDecisionTest::scrape,
        m -> m.has("zmarty_queue_depth", "queue", "lens_enrich") && m.has("zmarty_queue_depth", "queue", "lens_evaluate"));
    for (String counted : List.of("zmarty_lens_signals_received_total", "zmarty_lens_enriched_total", "zmarty_lens_evaluated_total", "zmarty_lens_published_total",
        "zmarty_lens_enqueue_duration_seconds_count", "zmarty_lens_enrichment_duration_seconds_count", "zmarty_lens_end_to_end_seconds_count", "zmarty_lens_ws_decisions_sent_total")) {
      assertThat(metrics.sum(counted)).as(counted).isGreaterThanOrEqualTo(1);
    }
    assertThat(metrics.sum("zmarty_lens_evaluation_latency_seconds_count", "model", "offline")).isGreaterThanOrEqualTo(1);
    assertThat(metrics.has("zmarty_lens_intake_rejected_total", "reason", "rate_limited")).isTrue();
    assertThat(metrics.has("zmarty_lens_model_errors_total", "model", "offline", "status", "timeout")).isTrue();
    assertThat(metrics.has("zmarty_lens_enrich_dead_lettered_total")).isTrue();
    assertThat(metrics.has("zmarty_lens_evaluate_dead_lettered_total")).isTrue();
    assertThat(metrics.has("zmarty_lens_ws_connections")).isTrue();

    // the entry price was the mid enrichment saw: not rejected, and the signal went the whole way
    Eventually.await(WAIT, "event published", () -> "published".equals(Sql.one(dbs.trading(), "select status from lens.events where event_id = (select event_id from lens.events where source = 'demo' order by received_at desc limit 1)")));
    String drift = Sql.one(dbs.trading(), "select abs(e.entry_price - (n.market->'ticker'->>'mid')::numeric) / (n.market->'ticker'->>'mid')::numeric * 100 "
        + "from lens.events e join lens.enriched_events n using (event_id) where e.source = 'demo'");
    assertThat(Double.parseDouble(drift)).as("drift in %").isLessThan(0.5);
  }

  @Test
  void aDeadLetteredSignalRetriedOverHttpGoesThroughItsStageAndItsEntryIsResolved() throws Exception {
    Decisions.source(dbs.trading(), "retry-src", "zks_retry-test-key-0123456789abcdefghijklmnopqrs", false);
    // a signal whose enrichment failed for good, as the worker records it: status failed, an open enrich entry
    var market = ai.zmarty.market.MarketProviders.create(vertx, config.market(), java.time.Clock.systemUTC());
    double mid = ai.zmarty.market.LiveMarkets.of(market, config.market(), java.time.Clock.systemUTC()).quote("BTC/USDT").await(60, TimeUnit.SECONDS).mid();
    String id = java.util.UUID.randomUUID().toString();
    Sql.exec(dbs.trading(), "insert into lens.events (event_id, source, body_hash, event_type, symbol, direction, entry_price, ts_utc, feature_profile, body, status) values ('"
        + id + "', 'retry-src', 'h-" + id + "', 'OPEN_SIGNAL', 'BTC/USDT', 'long', " + mid + ", now(), 'trend_follow_v1', '{}', 'failed')");
    String entry = Sql.one(dbs.trading(), "insert into lens.dlq_entries (event_id, stage, error, payload) values ('" + id + "', 'enrich', 'market down', '{\"event_id\": \"" + id + "\"}') returning id");
    String service = "Bearer " + ai.zmarty.testing.TestJwt.hs256(ai.zmarty.testing.TestJwt.SECRET, ai.zmarty.testing.TestJwt.claims(java.util.UUID.randomUUID()).put("role", "service_role"));

    var retried = node.client().post(node.port(), "127.0.0.1", "/api/v1/dlq/" + entry + "/retry").putHeader("Authorization", service).send().await(15, TimeUnit.SECONDS);
    assertThat(retried.statusCode()).as(retried.bodyAsString()).isEqualTo(200);
    // the worker enriches, evaluates and publishes it; getting through the enrich stage resolves the entry
    Eventually.await(WAIT, "the retried event published", () -> "published".equals(Sql.one(dbs.trading(), "select status from lens.events where event_id = '" + id + "'")));
    assertThat(Sql.one(dbs.trading(), "select (resolved_at > last_retry_at)::text || ' ' || retry_count from lens.dlq_entries where id = " + entry)).isEqualTo("true 1");
    var again = node.client().post(node.port(), "127.0.0.1", "/api/v1/dlq/" + entry + "/retry").putHeader("Authorization", service).send().await(15, TimeUnit.SECONDS);
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(again.bodyAsJsonObject().getString("error")).isEqualTo("conflict");
  }
}
