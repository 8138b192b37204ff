package ai.zmarty.bench;

import ai.zmarty.lens.SourceKeys;
import ai.zmarty.market.Candle;
import ai.zmarty.market.SimulatedMarket;
import ai.zmarty.market.Timeframe;
import ai.zmarty.testing.FakeProvider;
import ai.zmarty.testing.Sql;
import ai.zmarty.testing.TestDatabases;
import ai.zmarty.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The whole lens pipeline under load, on one node with the api and worker roles and its own
 * embedded PostgreSQL: signals posted to {@code POST /api/v1/signals} at a steady rate, enriched
 * from the simulated market, judged, and delivered to {@code SUBSCRIBERS} WebSocket subscribers.
 * Phase (a): 1 signal a second judged by two OpenAI-compatible models ({@code gpt}, {@code grok})
 * served by a local fake that answers each call after 1–3 s. Phase (b): 100 a second judged by the
 * offline evaluator (the non-model path). Stage times come from the events' timestamps and timeline
 * rows in database B and the subscribers' receipt times (one host clock). Args: subscribers (100),
 * seconds of (a) (60), seconds of (b) (30); 0 seconds skips a phase. Run: {@code bench/lens/run.sh}.
 */
public final class LensPipelineBench {
  private LensPipelineBench() {}

  /** What one phase posts and how the node judges. */
  /** What one phase posts (from {@code sources} sources named {@code <source>-<n>}, in turn) and how the node judges. */
  record Phase(String name, String source, int sources, int perSecond, int seconds, Map<String, String> env) {}

  public static void main(String[] args) throws Exception {
    int subscribers = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    int secondsA = args.length > 1 ? Integer.parseInt(args[1]) : 60;
    int secondsB = args.length > 2 ? Integer.parseInt(args[2]) : 30;
    TestDatabases.Pair dbs = TestDatabases.migrated();
    // the pipeline's cost, not the console's: only warnings are printed (the config's LOG_LEVEL is applied by Node, not by Wiring)
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(ch.qos.logback.classic.Level.toLevel(System.getenv().getOrDefault("BENCH_LOG_LEVEL", "WARN")));
    Vertx load = Vertx.vertx();
    FakeProvider gpt = FakeProvider.start(load).always(FakeProvider.sse("openai/decision.sse")).latency(Duration.ofSeconds(1), Duration.ofSeconds(3));
    FakeProvider grok = FakeProvider.start(load).always(FakeProvider.sse("openai/decision.sse")).latency(Duration.ofSeconds(1), Duration.ofSeconds(3));
    Map<String, String> models = Map.of("LENS_MODELS", "gpt,grok", "OPENAI_API_KEY", "bench", "OPENAI_BASE_URL", gpt.baseUrl("/v1"),
        "XAI_API_KEY", "bench", "XAI_BASE_URL", grok.baseUrl("/v1"));
    // every source posts 60 a minute, its rate limit (LENS_RATE_PER_MINUTE): 6,000 a minute is 100 sources
    Phase a = new Phase("(a) 60/min, gpt+grok fake 1-3 s", "bench-a", 1, 1, secondsA, models);
    Phase b = new Phase("(b) 6000/min, offline", "bench-b", 100, 100, secondsB, Map.of("LENS_MODELS", "offline"));
    WebClient client = WebClient.create(load, new WebClientOptions(), new io.vertx.core.http.PoolOptions().setHttp1MaxSize(64));
    BenchReport report = new BenchReport();
    if (System.getenv("PG_STATEMENTS") != null) {
      PgStatements.reset(dbs.trading());
    }
    int warmUp = Integer.parseInt(System.getenv().getOrDefault("WARMUP_SECONDS", "30"));
    if (warmUp > 0) { // the JIT compiles the hot paths here, not in the measured phases; its figures are not reported
      System.err.printf("warm-up: %d s at 6000/min, offline, not measured%n", warmUp);
      run(new Phase("warm-up", "bench-w", 100, 100, warmUp, Map.of("LENS_MODELS", "offline")), dbs, client, subscribers);
    }
    for (Phase p : List.of(a, b)) {
      if (p.seconds() > 0) { // 0 seconds skips a phase
        report.add(p, run(p, dbs, client, subscribers));
      }
    }
    report.print(subscribers);
    System.out.println("node settings from the environment: " + java.util.stream.Stream.of("DB_POOL_SIZE", "QUEUE_MAX_IN_FLIGHT", "QUEUE_READERS", "QUEUE_BATCH_SIZE", "QUEUE_IDLE_POLL")
        .filter(k -> System.getenv(k) != null).map(k -> k + "=" + System.getenv(k)).toList() + " (others: defaults)");
    load.close().await(30, TimeUnit.SECONDS);
    System.exit(report.allMet() ? 0 : 1);
  }

  private static BenchReport.Result run(Phase p, TestDatabases.Pair dbs, WebClient client, int subscribers) throws Exception {
    Map<String, String> env = new HashMap<>(p.env());
    env.put("ROLES", "api,worker");
    env.put("QUEUE_NAMES", "lens_enrich,lens_evaluate");
    env.put("LENS_WS_MAX_CONNECTIONS", Integer.toString(subscribers + 10));
    for (String tuning : List.of("DB_POOL_SIZE", "QUEUE_MAX_IN_FLIGHT", "QUEUE_READERS", "QUEUE_BATCH_SIZE", "QUEUE_IDLE_POLL", "EVENT_LOOPS")) {
      if (System.getenv(tuning) != null) { // the node's settings the bench's environment names
        env.put(tuning, System.getenv(tuning));
      }
    }
    var config = dbs.config(env);
    // the node's Vert.x as Node builds it: EVENT_LOOPS threads (one per processor by default)
    Vertx vertx = Vertx.vertx(ai.zmarty.Node.vertxOptions(config));
    TestNode node = TestNode.start(vertx, config, dbs.chat(), dbs.trading());
    SourceKeys sourceKeys = new SourceKeys(node.wiring().tradingPool());
    List<String> keys = new java.util.ArrayList<>();
    for (int i = 0; i < p.sources(); i++) {
      keys.add(sourceKeys.add(p.source() + "-" + i).await(30, TimeUnit.SECONDS).key());
    }
    System.err.printf("%s: node up, opening %d subscribers%n", p.name(), subscribers);
    BenchSubscribers subs = BenchSubscribers.open(node.port(), subscribers);
    ConcurrentLinkedQueue<Long> intakeNanos = new ConcurrentLinkedQueue<>();
    Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    int total = p.perSecond() * p.seconds();
    long start = System.nanoTime();
    CpuMeter cpuBefore = CpuMeter.read();
    System.err.printf("%s: posting %d signals%n", p.name(), total);
    for (int n = 0; n < total; n++) {
      long due = start + n * 1_000_000_000L / p.perSecond();
      long wait = due - System.nanoTime();
      if (wait > 0) {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000)); // pacing the load, not waiting for a result
      }
      long sent = System.nanoTime();
      int from = n % p.sources();
      client.post(node.port(), "127.0.0.1", "/api/v1/signals").putHeader("X-API-Key", keys.get(from)).sendJsonObject(signal(p.source() + "-" + from, n)).onComplete(ar -> {
        statuses.computeIfAbsent(ar.succeeded() ? ar.result().statusCode() : -1, s -> new AtomicInteger()).incrementAndGet();
        intakeNanos.add(System.nanoTime() - sent);
      });
    }
    String mine = "source like '" + p.source() + "-%'";
    String done = "select count(*) from lens.events where " + mine + " and status in ('published', 'rejected', 'failed')";
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while ((intakeNanos.size() < total || Sql.count(dbs.trading(), done) < accepted(statuses)) && System.nanoTime() < deadline) {
      Thread.sleep(200); // polling the database until every accepted event is through or 120 s passed
    }
    long expected = Sql.count(dbs.trading(), "select count(*) from lens.model_decisions d join lens.events e using (event_id) where e." + mine) * subscribers;
    deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (subs.receipts.size() < expected && System.nanoTime() < deadline) {
      Thread.sleep(100); // polling the receipt count until every copy arrived or 30 s passed
    }
    String cpu = CpuMeter.read().since(cpuBefore, total); // from the first post to the last copy (the polls above cost a few statements)
    if (System.getenv("PG_STATEMENTS") != null) {
      PgStatements.print(dbs.trading(), total);
    }
    BenchReport.Result result = BenchReport.measure(dbs.trading(), p.source() + "-%", total, statuses, intakeNanos, subs.receipts, expected).withCpu(cpu);
    subs.close();
    vertx.close().await(60, TimeUnit.SECONDS);
    return result;
  }

  private static long accepted(Map<Integer, AtomicInteger> statuses) {
    AtomicInteger n = statuses.get(202);
    return n == null ? 0 : n.get();
  }

  private static final Map<String, double[]> MIDS = new ConcurrentHashMap<>();

  /** An OPEN_SIGNAL at the simulated market's current mid (the last closed 1m bar's close, as enrichment sees it). */
  private static JsonObject signal(String source, int n) {
    String symbol = n % 2 == 0 ? "BTC/USDT" : "ETH/USDT";
    long minute = System.currentTimeMillis() / 60_000;
    double[] cached = MIDS.compute(symbol, (s, old) -> old != null && old[0] == minute ? old : new double[] {minute, mid(s)});
    return new JsonObject().put("event_type", "OPEN_SIGNAL").put("symbol", symbol).put("signal_direction", n % 3 == 0 ? "short" : "long")
        .put("entry_price", Math.round(cached[1] * 100) / 100.0).put("ts_utc", Instant.now().toString()).put("source", source);
  }

  private static double mid(String symbol) {
    Instant now = Instant.now();
    List<Candle> bars = new SimulatedMarket(42, Clock.systemUTC()).bars(symbol, Timeframe.M1, now.minusSeconds(600), now);
    return bars.get(bars.size() - 1).close();
  }
}
