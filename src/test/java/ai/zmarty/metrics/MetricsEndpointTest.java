package ai.zmarty.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.Wiring;
import ai.zmarty.bus.Addresses;
import ai.zmarty.bus.ErrorCode;
import ai.zmarty.config.ZmartyConfig;
import ai.zmarty.queue.PgmqClient;
import ai.zmarty.testing.ChatApi;
import ai.zmarty.testing.Eventually;
import ai.zmarty.testing.FakeProvider;
import ai.zmarty.testing.Scrape;
import ai.zmarty.testing.Sql;
import ai.zmarty.testing.TestDatabases;
import ai.zmarty.testing.TestNode;
import ai.zmarty.testing.Users;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /metrics} of real nodes (Vert.x bound to the node's registry, as {@code run} starts
 * one): scraped before and after real chats and real queue jobs, the counters move by exactly what happened.
 */
class MetricsEndpointTest {
  private static TestDatabases.Pair dbs;
  private Vertx vertx;
  private Wiring wiring;

  @BeforeAll
  static void database() {
    dbs = TestDatabases.migrated();
  }

  @AfterEach
  void stop() throws Exception {
    if (wiring != null) {
      wiring.close().await(30, TimeUnit.SECONDS);
    }
    if (vertx != null) {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  /** A node as Node.start makes one: Vert.x reporting into the node's registry. */
  private Wiring start(Map<String, String> env) throws Exception {
    ZmartyConfig config = dbs.config(env);
    Metrics metrics = Metrics.create(config.metrics());
    vertx = metrics.vertxBuilder(new VertxOptions()).build();
    wiring = TestNode.start(vertx, config, metrics, dbs.chat(), dbs.trading()).wiring();
    return wiring;
  }

  /** A queue of this test's own, whose consumer always fails. */
  private static final String FLAKY = "metrics_flaky";

  private static Map<String, String> apiAndWorker() {
    Map<String, String> env = new HashMap<>();
    // no ops role: nothing but this test puts jobs on the queues
    env.put("ROLES", "api,worker");
    env.put("OFFLINE_PACE", "1ms");
    env.put("RATE_LIMIT_PER_MINUTE", "2");
    env.put("QUEUE_IDLE_POLL", "100ms");
    env.put("QUEUE_MAX_READS", "2");
    env.put("QUEUE_BACKOFF_BASE", "1s");
    return env;
  }

  @Test
  void aChatA402A429AndJobsMoveTheirCountersByExactlyWhatHappened() throws Exception {
    // a queue whose consumer (this test's) always fails: retried, then dead-lettered after QUEUE_MAX_READS
    Map<String, String> env = apiAndWorker();
    env.put("QUEUE_NAMES", "ingest_indicators,compute_signals,compute_winrate," + FLAKY);
    Sql.exec(dbs.trading(), "select pgmq.create('" + FLAKY + "')");
    int port = start(env).httpPort().orElseThrow();
    vertx.eventBus().consumer(Addresses.job(FLAKY), m -> m.fail(ErrorCode.INTERNAL.failureCode(), "always fails"));
    WebClient client = WebClient.create(vertx);
    ChatApi api = new ChatApi(vertx, port);
    UUID payer = Users.create(dbs.chat(), "pro", 1000);
    UUID broke = Users.create(dbs.chat(), "pro", 0);
    UUID hasty = Users.create(dbs.chat(), "pro", 1000);
    Scrape before = Scrape.of(client, port);

    HttpResponse<Buffer> answered = api.chat(payer, "What's the signal for BTC?", false).await(60, TimeUnit.SECONDS);
    assertThat(answered.statusCode()).as(answered.bodyAsString()).isEqualTo(200);
    JsonObject done = answered.bodyAsJsonObject();
    assertThat(api.chat(broke, "What's the signal for BTC?", false).await(60, TimeUnit.SECONDS).statusCode()).isEqualTo(402);
    api.estimate(hasty, "hi");
    api.estimate(hasty, "hi");
    assertThat(api.chat(hasty, "hi", false).await(60, TimeUnit.SECONDS).statusCode()).isEqualTo(429);
    Scrape after = Scrape.of(client, port);

    String offline = "offline";
    assertThat(delta(before, after, "zmarty_chat_requests_total", "provider", offline, "outcome", "answered")).isEqualTo(1);
    assertThat(delta(before, after, "zmarty_chat_requests_total", "provider", "none", "outcome", "refused_402")).isEqualTo(1);
    assertThat(delta(before, after, "zmarty_chat_requests_total", "provider", "none", "outcome", "rate_limited")).isEqualTo(1);
    assertThat(delta(before, after, "zmarty_chat_requests_total")).as("no other chat outcome moved").isEqualTo(3);
    assertThat(delta(before, after, "zmarty_credits_charged_total", "provider", offline)).isEqualTo(done.getLong("credits_charged").doubleValue());
    assertThat(done.getLong("credits_charged")).isPositive();
    assertThat(delta(before, after, "zmarty_tokens_total", "provider", offline, "direction", "input")).isEqualTo(done.getJsonObject("usage").getLong("input_tokens").doubleValue());
    assertThat(delta(before, after, "zmarty_tokens_total", "provider", offline, "direction", "output")).isEqualTo(done.getJsonObject("usage").getLong("output_tokens").doubleValue());
    for (String timer : new String[] {"zmarty_chat_ttft_seconds", "zmarty_chat_duration_seconds", "zmarty_gateway_overhead_seconds"}) {
      assertThat(delta(before, after, timer + "_count", "provider", offline)).as(timer).isEqualTo(1);
      assertThat(delta(before, after, timer + "_sum", "provider", offline)).as(timer).isPositive();
    }
    // Vert.x's own: the route label is the chain of route patterns the request matched (">"-separated), never a raw path
    assertThat(routed(after, "200", "/chat") - routed(before, "200", "/chat")).isEqualTo(1);
    assertThat(routed(after, "402", "/chat") - routed(before, "402", "/chat")).isEqualTo(1);
    assertThat(routed(after, "429", "/chat") - routed(before, "429", "/chat")).isEqualTo(1);
    assertThat(after.samples()).filteredOn(s -> s.name().startsWith("vertx_http_server")).allMatch(s -> !s.labels().getOrDefault("route", "").contains("sessions/" ));
    assertThat(after.has("vertx_http_server_response_time_seconds_bucket", "method", "POST", "le", "0.1")).isTrue();
    // the event bus without addresses: a chat's own addresses must not make series (or meters) of their own
    assertThat(after.sum("vertx_eventbus_sent_total", "side", "local")).isPositive();
    assertThat(after.samples()).noneMatch(s -> s.labels().containsKey("address"));
    assertThat(after.names()).contains("jvm_memory_used_bytes", "vertx_eventbus_handlers");

    // a job that succeeds; one that fails twice (QUEUE_MAX_READS=2): retried once, then dead-lettered;
    // and a payload that breaks its contract: rejected, dead-lettered at its first read
    PgmqClient queues = new PgmqClient(wiring.tradingPool());
    queues.send(Addresses.QUEUE_COMPUTE_WINRATE, new JsonObject()).await(10, TimeUnit.SECONDS);
    queues.send(FLAKY, new JsonObject().put("n", 1)).await(10, TimeUnit.SECONDS);
    queues.send(Addresses.QUEUE_COMPUTE_SIGNALS, new JsonObject().put("symbol", "not a pair")).await(10, TimeUnit.SECONDS);
    Scrape jobs = Eventually.until(Duration.ofSeconds(60), "the three jobs settled", () -> scrape(client, port),
        now -> delta(before, now, "zmarty_jobs_total", "queue", FLAKY, "outcome", "dead_lettered") == 1
            && delta(before, now, "zmarty_jobs_total", "queue", "compute_signals", "outcome", "dead_lettered") == 1
            && delta(before, now, "zmarty_jobs_total", "queue", "compute_winrate", "outcome", "archived") == 1);
    assertThat(delta(before, jobs, "zmarty_jobs_total", "queue", FLAKY, "outcome", "retried")).isEqualTo(1);
    assertThat(delta(before, jobs, "zmarty_jobs_total", "queue", "compute_signals", "outcome", "retried")).isZero();
    assertThat(delta(before, jobs, "zmarty_jobs_total")).as("nothing else ran").isEqualTo(4);
    assertThat(delta(before, jobs, "zmarty_job_duration_seconds_count", "queue", FLAKY)).isEqualTo(2);
    assertThat(delta(before, jobs, "zmarty_job_duration_seconds_count", "queue", "compute_signals")).isEqualTo(1);
    assertThat(delta(before, jobs, "zmarty_job_duration_seconds_count", "queue", "compute_winrate")).isEqualTo(1);
    // the depths are read from pgmq before each scrape: the next one sees the dead letter
    assertThat(Scrape.of(client, port).sum("zmarty_queue_depth", "queue", "dead_letter")).isGreaterThanOrEqualTo(1);
    assertThat(jobs.has("zmarty_queue_oldest_age_seconds", "queue", "compute_winrate")).isTrue();
    assertThat(jobs.sum("zmarty_health_status")).as("every check healthy").isZero();
    assertThat(jobs.has("zmarty_health_status", "check", "database_chat")).as(jobs.names().toString()).isTrue();
  }

  @Test
  void aRealProvidersFailureAndAnswerAreCountedAndEverySeriesOfTheRulesAndTheDashboardIsInTheScrape() throws Exception {
    Vertx fakes = Vertx.vertx();
    try {
      FakeProvider grok = FakeProvider.start(fakes);
      Map<String, String> env = new HashMap<>();
      env.put("MODEL_PROVIDER", "auto");
      env.put("XAI_API_KEY", "xai-test-key");
      env.put("XAI_BASE_URL", grok.baseUrl("/v1"));
      env.put("HEALTH_PROVIDERS", "");
      env.put("QUEUE_IDLE_POLL", "100ms");
      int port = start(env).httpPort().orElseThrow(); // every role: the scheduler's and the outbox's series too
      WebClient client = WebClient.create(vertx);
      ChatApi api = new ChatApi(vertx, port);
      UUID user = Users.create(dbs.chat(), "pro", 1000);
      Scrape before = Scrape.of(client, port);

      grok.then(FakeProvider.error(500, "xai/server_error.json", Map.of()));
      HttpResponse<Buffer> failed = api.chat(user, "What's the signal for BTC?", false).await(60, TimeUnit.SECONDS);
      assertThat(failed.statusCode()).as(failed.bodyAsString()).isEqualTo(503);
      grok.always(FakeProvider.sse("xai/stream.sse"));
      HttpResponse<Buffer> answered = api.chat(user, "What's the signal for BTC?", false).await(60, TimeUnit.SECONDS);
      assertThat(answered.statusCode()).as(answered.bodyAsString()).isEqualTo(200);
      new PgmqClient(wiring.tradingPool()).send(Addresses.QUEUE_COMPUTE_WINRATE, new JsonObject()).await(10, TimeUnit.SECONDS);
      Scrape after = Eventually.until(Duration.ofSeconds(60), "a job archived", () -> scrape(client, port),
          now -> delta(before, now, "zmarty_jobs_total", "queue", "compute_winrate", "outcome", "archived") >= 1);

      assertThat(delta(before, after, "zmarty_provider_errors_total", "provider", "grok", "kind", "server_error")).isEqualTo(1);
      assertThat(delta(before, after, "zmarty_provider_errors_total")).isEqualTo(1);
      assertThat(delta(before, after, "zmarty_chat_requests_total", "provider", "none", "outcome", "failed")).isEqualTo(1);
      assertThat(delta(before, after, "zmarty_chat_requests_total", "provider", "grok", "outcome", "answered")).isEqualTo(1);
      assertThat(after.sum("zmarty_provider_breaker_open", "provider", "grok")).isZero();
      // the provider's own wait is not the gateway's: overhead below time to first token
      assertThat(delta(before, after, "zmarty_gateway_overhead_seconds_count", "provider", "grok")).isEqualTo(1);
      assertThat(delta(before, after, "zmarty_gateway_overhead_seconds_sum", "provider", "grok"))
          .isLessThan(delta(before, after, "zmarty_chat_ttft_seconds_sum", "provider", "grok"));
      assertThat(after.has("zmarty_scheduler_runs_total", "job", "compute_winrate", "outcome", "fired")).isTrue();

      java.util.Set<String> used = new java.util.TreeSet<>();
      for (String expr : MonitoringFiles.alerts().values()) {
        used.addAll(MonitoringFiles.metricNames(expr));
      }
      for (String expr : MonitoringFiles.panelQueries()) {
        used.addAll(MonitoringFiles.metricNames(expr));
      }
      used.remove("up"); // written by Prometheus itself for each target it scrapes
      assertThat(used).hasSizeGreaterThan(20).contains("zmarty_chat_ttft_seconds_bucket", "vertx_http_server_requests_total", "jvm_memory_used_bytes");
      assertThat(after.names()).containsAll(used);
    } finally {
      fakes.close().await(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void aNodeWithoutTheApiRoleServesMetricsOnItsOwnPortAndNothingElse() throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("ROLES", "worker");
    env.put("METRICS_PORT", "0");
    Wiring w = start(env);
    assertThat(w.httpPort()).isEmpty();
    int port = w.metricsPort().orElseThrow();
    WebClient client = WebClient.create(vertx);
    Scrape scrape = Scrape.of(client, port);
    assertThat(scrape.has("zmarty_jobs_total", "queue", "ingest_indicators", "outcome", "archived")).isTrue();
    assertThat(scrape.has("zmarty_queue_depth", "queue", "ingest_indicators")).isTrue();
    HttpResponse<Buffer> other = client.get(port, "127.0.0.1", "/chat").send().await(10, TimeUnit.SECONDS);
    assertThat(other.statusCode()).isEqualTo(404);
    assertThat(other.bodyAsJsonObject().getString("error")).isEqualTo("not_found");
    // the liveness probe of deploy/ (HEALTHCHECK, Kubernetes) for a node without an API port
    HttpResponse<Buffer> live = client.get(port, "127.0.0.1", "/healthz").send().await(10, TimeUnit.SECONDS);
    assertThat(live.statusCode()).isEqualTo(200);
    assertThat(live.bodyAsJsonObject().getString("status")).isEqualTo("ok");
  }

  @Test
  void withMetricsDisabledThereIsNoMetricsRoute() throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("ROLES", "api");
    env.put("METRICS_ENABLED", "false");
    int port = start(env).httpPort().orElseThrow();
    HttpResponse<Buffer> r = WebClient.create(vertx).get(port, "127.0.0.1", "/metrics").send().await(10, TimeUnit.SECONDS);
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.bodyAsJsonObject().getString("error")).isEqualTo("not_found");
  }

  private static Scrape scrape(WebClient client, int port) {
    try {
      return Scrape.of(client, port);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** POST requests answered {@code code} whose matched routes end with {@code route}. */
  private static double routed(Scrape scrape, String code, String route) {
    return scrape.samples().stream()
        .filter(s -> s.name().equals("vertx_http_server_requests_total") && code.equals(s.labels().get("code")) && "POST".equals(s.labels().get("method")))
        .filter(s -> s.labels().getOrDefault("route", "").equals(route) || s.labels().getOrDefault("route", "").endsWith(">" + route))
        .mapToDouble(Scrape.Sample::value).sum();
  }

  private static double delta(Scrape before, Scrape after, String name, String... labels) {
    return after.sum(name, labels) - before.sum(name, labels);
  }
}
