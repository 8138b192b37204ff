package ai.zmarty.lens;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.bus.Addresses;
import ai.zmarty.contracts.Contracts;
import ai.zmarty.contracts.Schema;
import ai.zmarty.metrics.Metrics;
import ai.zmarty.testing.LogCapture;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.util.Arrays;
import net.logstash.logback.argument.StructuredArgument;
import ai.zmarty.testing.Eventually;
import ai.zmarty.testing.FakeProvider;
import ai.zmarty.testing.Sql;
import ai.zmarty.testing.TestDatabases;
import ai.zmarty.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The evaluation worker on a worker node: real PostgreSQL (events and enrichments inserted with
 * SQL), the real pgmq poller and bus, and fake GPT, Gemini and Claude servers speaking their wire
 * formats beside the offline rules.
 */
@ExtendWith(VertxExtension.class)
class LensEvaluateTest {
  /** Long enough for a cold JVM on a loaded machine to get the good answer in; the slow model waits it out. */
  private static final long TIMEOUT_MS = 6_000;
  private static final String PAYLOAD = """
      {"ta":{"15m":{"ema_9":101,"ema_21":100,"ema_50":99,"rsi_14":58,"atr_14":120},"1h":{"ema_9":102,"ema_21":100,"ema_50":98,"rsi_14":60,"atr_14":300}},
       "derivatives":{"funding_1h":0.0000125},"quality":{}}""";
  private static TestDatabases.Pair dbs;
  private FakeProvider gpt;
  private FakeProvider gemini;
  private FakeProvider claude;
  private final List<JsonObject> published = new CopyOnWriteArrayList<>();
  private Metrics metrics;
  /** What every published decision must keep: the checkout's docs/contracts/event.lens.decision.json. */
  private static final Schema DECISION_EVENT = Contracts.directory(Path.of("docs/contracts")).schema("event.lens.decision");

  @BeforeAll
  static void databases() {
    dbs = TestDatabases.migrated();
    Sql.exec(dbs.trading(), "insert into lens.sources (name, key_hash, key_prefix) values ('test-src', decode('01', 'hex'), 'zks_test')");
  }

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    gpt = FakeProvider.start(vertx);
    gemini = FakeProvider.start(vertx);
    claude = FakeProvider.start(vertx);
    vertx.eventBus().<JsonObject>consumer(Addresses.EVENTS_LENS_DECISION, m -> published.add(m.body()));
    var config = dbs.config(Map.ofEntries(
        Map.entry("ROLES", "worker"),
        Map.entry("LENS_MODELS", "gpt,gemini,claude,offline"),
        Map.entry("LENS_MODEL_TIMEOUT", TIMEOUT_MS + "ms"),
        Map.entry("OPENAI_API_KEY", "test-key"), Map.entry("OPENAI_BASE_URL", gpt.baseUrl("/v1")),
        Map.entry("GEMINI_API_KEY", "test-key"), Map.entry("GEMINI_BASE_URL", gemini.baseUrl("")),
        Map.entry("ANTHROPIC_API_KEY", "test-key"), Map.entry("ANTHROPIC_BASE_URL", claude.baseUrl("")),
        Map.entry("QUEUE_NAMES", "lens_evaluate"),
        Map.entry("QUEUE_IDLE_POLL", "100ms"),
        Map.entry("QUEUE_MAX_READS", "2"),
        Map.entry("QUEUE_BACKOFF_BASE", "1s")));
    metrics = Metrics.create(config.metrics());
    TestNode.start(vertx, config, metrics, dbs.chat(), dbs.trading());
  }

  /** An enriched event (and its lens_evaluate message unless {@code enqueue} is false). */
  private static UUID enrichedEvent(String status, boolean withEnrichment) {
    UUID id = UUID.randomUUID();
    Sql.exec(dbs.trading(), "insert into lens.events (event_id, source, body_hash, event_type, symbol, direction, entry_price, ts_utc, feature_profile, body, status, enriched_at) "
        + "values ('" + id + "', 'test-src', 'h', 'OPEN_SIGNAL', 'BTC/USDT', 'long', 64000, now(), 'trend_follow_v1', '{}', '" + status + "', now())");
    if (withEnrichment) {
      Sql.exec(dbs.trading(), "insert into lens.enriched_events (event_id, provider, provider_version, signal_age_seconds, model_payload, enrichment_duration_ms) "
          + "values ('" + id + "', 'simulated', 'test', 1.5, '" + PAYLOAD + "', 12)");
    }
    return id;
  }

  private static void enqueue(UUID id) {
    Sql.exec(dbs.trading(), "select pgmq.send('lens_evaluate', '{\"event_id\": \"" + id + "\"}'::jsonb)");
  }

  private static String one(String sql) {
    return Sql.one(dbs.trading(), sql);
  }

  private static long count(String sql) {
    return Sql.count(dbs.trading(), sql);
  }

  private List<JsonObject> publishedFor(UUID id) {
    return published.stream().filter(m -> m.getString("event_id").equals(id.toString())).toList();
  }

  /** Each published message of the event keeps its contract (the fallbacks' null plans included). */
  private void assertPublishedKeepTheContract(UUID id) {
    assertThat(publishedFor(id)).isNotEmpty().allSatisfy(m -> assertThat(DECISION_EVENT.check(m)).as(m.encode()).isEmpty());
  }

  private static void awaitStatus(UUID id, String status) {
    Eventually.await(Duration.ofSeconds(30), "event " + id + " " + status, () -> one("select status from lens.events where event_id = '" + id + "'").equals(status));
  }

  @Test
  void aGoodModelBesideAMalformedAndASlowOneThenRedeliveryChangesNothing() {
    gpt.then(FakeProvider.sse("openai/decision.sse"));
    gemini.then(FakeProvider.sse("gemini/decision_prose.sse"));
    claude.then(FakeProvider.silent());
    UUID id = enrichedEvent("enriched", true);
    enqueue(id);

    awaitStatus(id, "published");
    String row = "from lens.model_decisions where event_id = '" + id + "' and model = ";
    // the good one: its decision, usage as reported, cost at PRICE_GPT 3/10/2 = ceil(912·3/1000 + 68·10/1000) + 2 = 6
    assertThat(one("select status || ' ' || decision || ' ' || confidence || ' ' || tokens_in || ' ' || tokens_out || ' ' || cost::float8 " + row + "'gpt'")).isEqualTo("ok ENTER 0.74 912 68 6");
    assertThat(one("select risk_plan::text " + row + "'gpt'")).isEqualTo("{\"stop\": 63100, \"targets\": [65400, 66600]}");
    // and it was not held back by the slow one: it answered well before the timeout that ended claude
    long gptMs = Long.parseLong(one("select latency_ms " + row + "'gpt'"));
    long claudeMs = Long.parseLong(one("select latency_ms " + row + "'claude'"));
    assertThat(gptMs).isLessThan(TIMEOUT_MS);
    assertThat(claudeMs).isGreaterThanOrEqualTo(TIMEOUT_MS);
    assertThat(one("select status || ' ' || decision || ' ' || confidence || ' ' || error_code " + row + "'claude'")).isEqualTo("timeout IGNORE 0 timeout");
    // the malformed one: raw answer kept, fallback IGNORE at 0
    assertThat(one("select status || ' ' || decision || ' ' || confidence " + row + "'gemini'")).isEqualTo("invalid_json IGNORE 0");
    assertThat(one("select raw_answer " + row + "'gemini'")).isEqualTo("Looks bullish to me: I would buy here with a tight stop.");
    assertThat(one("select error_message " + row + "'gemini'")).startsWith("not a JSON object");
    assertThat(one("select status || ' ' || prompt_version " + row + "'offline'")).isEqualTo("ok offline-rules-v1");
    assertThat(one("select prompt_version || ' ' || prompt_hash " + row + "'gpt'"))
        .isEqualTo("core-v1+gpt-v1 " + PromptTemplates.load(java.util.Optional.empty(), List.of("gpt")).of("gpt").hash());
    // the request asked for the schema
    assertThat(gpt.requests.get(0).body().getJsonObject("response_format").getJsonObject("json_schema").getString("name")).isEqualTo("model_decision");
    assertThat(one("select (evaluated_at is not null and published_at >= evaluated_at)::text from lens.events where event_id = '" + id + "'")).isEqualTo("true");
    assertThat(Sql.column(dbs.trading(), "select stage from lens.processing_timeline where event_id = '" + id + "' order by id"))
        .containsExactly("evaluate_started", "model_answered", "model_answered", "model_answered", "model_answered", "evaluated", "published");

    // one bus message per decision, with the event's fields
    Eventually.await(Duration.ofSeconds(5), "four decisions on the bus", () -> publishedFor(id).size() == 4);
    JsonObject gptMessage = publishedFor(id).stream().filter(m -> m.getString("model").equals("gpt")).findFirst().orElseThrow();
    assertThat(gptMessage.fieldNames()).containsExactlyInAnyOrder("event_id", "decision_id", "source", "symbol", "event_type", "direction", "model", "status", "decision", "confidence",
        "entry_plan", "risk_plan", "size_pct", "reasons", "prompt_version", "decided_at");
    assertThat(gptMessage.getString("symbol")).isEqualTo("BTC/USDT");
    assertThat(gptMessage.getString("source")).isEqualTo("test-src");
    assertThat(gptMessage.getString("decision")).isEqualTo("ENTER");
    assertPublishedKeepTheContract(id); // ok, invalid_json and timeout messages
    // each decision's message went into the outbox with its row, under the row's id, and the worker marked it published
    assertThat(Sql.column(dbs.trading(), "select o.event_id::text from event_outbox o join lens.model_decisions d on d.decision_id = o.event_id where d.event_id = '" + id + "' and o.published_at is not null order by 1"))
        .containsExactlyElementsOf(publishedFor(id).stream().map(m -> m.getString("decision_id")).sorted().toList());

    // the same message again: nothing asked, stored or published twice
    enqueue(id);
    Eventually.await(Duration.ofSeconds(20), "the redelivery archived", () -> count("select count(*) from pgmq.a_lens_evaluate where message->>'event_id' = '" + id + "'") == 2);
    assertThat(count("select count(*) from lens.model_decisions where event_id = '" + id + "'")).isEqualTo(4);
    assertThat(count("select count(*) from lens.processing_timeline where event_id = '" + id + "' and stage in ('evaluate_started', 'published')")).isEqualTo(2);
    assertThat(gpt.requests).hasSize(1);
    assertThat(publishedFor(id)).hasSize(4);
  }

  @Test
  void providerErrorsAreRowsOfTheEvaluationNotRetries() {
    LogCapture logs = new LogCapture();
    gpt.then(FakeProvider.error(429, "openai/rate_limited.json", Map.of("retry-after", "1")));
    gemini.then(FakeProvider.error(503, "gemini/unavailable.json", Map.of()));
    claude.then(FakeProvider.error(529, "anthropic/overloaded.json", Map.of()));
    UUID id = enrichedEvent("enriched", true);
    enqueue(id);

    awaitStatus(id, "published");
    assertThat(Sql.column(dbs.trading(), "select model || ' ' || status || ' ' || decision || ' ' || confidence || ' ' || coalesce(error_code, '-') from lens.model_decisions where event_id = '" + id + "' order by model"))
        .containsExactly("claude provider_error IGNORE 0 overloaded", "gemini provider_error IGNORE 0 overloaded", "gpt provider_error IGNORE 0 rate_limited", "offline ok ENTER 0.95 -");
    assertThat(one("select error_message from lens.model_decisions where event_id = '" + id + "' and model = 'gpt'")).contains("429").contains("rate_limit_exceeded");
    // read once and archived: no retry loop
    Eventually.await(Duration.ofSeconds(10), "archived", () -> count("select count(*) from pgmq.a_lens_evaluate where message->>'event_id' = '" + id + "'") == 1);
    assertThat(one("select read_ct from pgmq.a_lens_evaluate where message->>'event_id' = '" + id + "'")).isEqualTo("1");
    assertThat(gpt.requests).hasSize(1);
    Eventually.await(Duration.ofSeconds(5), "four decisions on the bus", () -> publishedFor(id).size() == 4);
    assertPublishedKeepTheContract(id); // provider_error messages
    assertThat(publishedFor(id)).filteredOn(m -> m.getString("model").equals("gpt")).singleElement()
        .satisfies(m -> assertThat(m.getValue("entry_plan")).isNull()).satisfies(m -> assertThat(m.getString("status")).isEqualTo("provider_error"));

    // metrics: the evaluation, each model's answer time, the errors by model and status
    var registry = metrics.registry();
    assertThat(registry.get("zmarty.lens.evaluated").counter().count()).isEqualTo(1);
    assertThat(registry.get("zmarty.lens.published").counter().count()).isEqualTo(1);
    assertThat(registry.get("zmarty.lens.end.to.end").timer().count()).isEqualTo(1);
    assertThat(registry.get("zmarty.lens.model.errors").tag("model", "gpt").tag("status", "provider_error").counter().count()).isEqualTo(1);
    assertThat(registry.get("zmarty.lens.model.errors").tag("model", "gpt").tag("status", "timeout").counter().count()).isZero();
    assertThat(registry.get("zmarty.lens.model.errors").tag("model", "offline").tag("status", "provider_error").counter().count()).isZero();
    assertThat(registry.get("zmarty.lens.evaluation.latency").tag("model", "claude").timer().count()).isEqualTo(1);
    // logs: every line of the event's evaluation carries its event_id as a field of its own
    logs.close();
    List<ILoggingEvent> lines = logs.events().stream().filter(e -> e.getLoggerName().equals(EvaluateVerticle.class.getName()) && e.getFormattedMessage().contains(id.toString())).toList();
    assertThat(lines.stream().map(e -> e.getMessage().substring(0, e.getMessage().indexOf(" {}"))).toList())
        .containsExactly("lens model answered", "lens model answered", "lens model answered", "lens model answered", "lens event evaluated", "lens evaluate done");
    assertThat(lines).allSatisfy(e -> assertThat(Arrays.stream(e.getArgumentArray()).anyMatch(a -> a instanceof StructuredArgument && a.toString().equals("event_id=" + id))).isTrue());
  }

  @Test
  void anEvaluatedEventWhoseNodeDiedBeforePublishingIsPublishedWithoutAskingAgain() {
    UUID id = enrichedEvent("evaluated", true);
    Sql.exec(dbs.trading(), "insert into lens.model_decisions (event_id, model, status, decision, confidence, reasons, prompt_version, prompt_hash, latency_ms) "
        + "values ('" + id + "', 'offline', 'ok', 'WAIT', 0.6, '[\"x\"]', 'offline-rules-v1', 'h', 1)");
    enqueue(id);

    awaitStatus(id, "published");
    Eventually.await(Duration.ofSeconds(5), "the stored decision on the bus", () -> publishedFor(id).size() == 1);
    assertThat(publishedFor(id).get(0).getString("decision")).isEqualTo("WAIT");
    assertThat(gpt.requests).isEmpty();
    assertThat(count("select count(*) from lens.model_decisions where event_id = '" + id + "'")).isEqualTo(1);
  }

  @Test
  void anInternalFailureRetriesThenDeadLettersAndALaterSuccessResolvesIt() {
    UUID id = enrichedEvent("enriched", false); // no enrichment stored: the job cannot run
    enqueue(id);

    awaitStatus(id, "failed");
    String dlq = "from lens.dlq_entries where event_id = '" + id + "'";
    assertThat(one("select stage || ' ' || (resolved_at is null)::text || ' ' || (payload->>'event_id') " + dlq)).isEqualTo("evaluate true " + id);
    assertThat(one("select error " + dlq)).contains("after 2 attempts").contains("no enrichment stored");
    assertThat(count("select count(*) from lens.processing_timeline where event_id = '" + id + "' and stage = 'dead_lettered'")).isEqualTo(1);
    assertThat(metrics.registry().get("zmarty.lens.evaluate.dead.lettered").counter().count()).isEqualTo(1);
    // archived on its last read, not left in the generic dead-letter queue
    Eventually.await(Duration.ofSeconds(10), "archived", () -> count("select count(*) from pgmq.a_lens_evaluate where message->>'event_id' = '" + id + "'") == 1);
    assertThat(count("select count(*) from pgmq.q_dead_letter where message->'message'->>'event_id' = '" + id + "'")).isZero();
    assertThat(count("select count(*) from lens.model_decisions where event_id = '" + id + "'")).isZero();

    // the cause fixed and the message sent again (what a DLQ retry does): evaluated, published, resolved
    gpt.then(FakeProvider.sse("openai/decision.sse"));
    gemini.then(FakeProvider.sse("gemini/decision.sse"));
    claude.then(FakeProvider.sse("anthropic/decision_tool.sse"));
    Sql.exec(dbs.trading(), "insert into lens.enriched_events (event_id, provider, provider_version, signal_age_seconds, model_payload, enrichment_duration_ms) "
        + "values ('" + id + "', 'simulated', 'test', 1.5, '" + PAYLOAD + "', 12)");
    enqueue(id);

    awaitStatus(id, "published");
    assertThat(one("select (resolved_at is not null)::text " + dlq)).isEqualTo("true");
    assertThat(Sql.column(dbs.trading(), "select model || ' ' || status || ' ' || decision from lens.model_decisions where event_id = '" + id + "' order by model"))
        .containsExactly("claude ok ENTER", "gemini ok ENTER", "gpt ok ENTER", "offline ok ENTER");
  }

  @Test
  void aPayloadThatBreaksItsContractIsDeadLetteredAtItsFirstRead() {
    long missing = Long.parseLong(one("select pgmq.send('lens_evaluate', '{\"event\": \"x\"}'::jsonb)"));
    long notUuid = Long.parseLong(one("select pgmq.send('lens_evaluate', '{\"event_id\": \"not-a-uuid\"}'::jsonb)"));
    String letter = "select message::text from pgmq.q_dead_letter where message->>'queue' = 'lens_evaluate' and (message->>'msg_id')::bigint = ";

    Eventually.await(Duration.ofSeconds(30), "both in dead_letter", () -> count("select count(*) from pgmq.q_dead_letter where message->>'queue' = 'lens_evaluate' and (message->>'msg_id')::bigint in (" + missing + ", " + notUuid + ")") == 2);
    JsonObject a = new JsonObject(one(letter + missing));
    assertThat(a.getInteger("read_ct")).isEqualTo(1); // at once, although QUEUE_MAX_READS is 2
    assertThat(a.getString("error")).startsWith("rejected: ").contains("queue.lens_evaluate").contains("event_id is missing");
    JsonObject b = new JsonObject(one(letter + notUuid));
    assertThat(b.getInteger("read_ct")).isEqualTo(1);
    assertThat(b.getString("error")).startsWith("rejected: ").contains("event_id");
    assertThat(count("select count(*) from pgmq.q_lens_evaluate where msg_id in (" + missing + ", " + notUuid + ")")).isZero();
    assertThat(gpt.requests).isEmpty();
  }
}
