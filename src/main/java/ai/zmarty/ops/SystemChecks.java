package ai.zmarty.ops;

import ai.zmarty.config.MarketConfig;
import ai.zmarty.config.ZmartyConfig;
import ai.zmarty.db.MigrationFiles;
import ai.zmarty.db.Migrations;
import ai.zmarty.market.MarketDataProvider;
import ai.zmarty.ops.DataJudgement.Newest;
import ai.zmarty.ops.DataJudgement.PairCounts;
import ai.zmarty.ops.SystemHealth.Check;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The operator's seven checks ({@code zmarty health}, {@code GET /admin/health}, the nightly
 * pipeline's first step), run side by side, each with its own time limit ({@code
 * HEALTH_CHECK_TIMEOUT}, at most {@value #MAX_LIMIT_S} s), so a hung database makes its checks
 * critical instead of hanging the report: databases A and B, schema, market data, freshness,
 * integrity and the API.
 */
public final class SystemChecks {
  static final long MAX_LIMIT_S = 15;
  static final List<String> CHAT_TABLES = List.of("profiles", "user_symbols", "credits_ledger", "credit_holds", "sync_outbox", "chat_sessions", "chat_messages", "chat_requests");
  static final List<String> TRADING_TABLES =
      List.of("watchers", "indicators", "risk_metric", "liq_clusters", "signals", "win_rate", "performance", "scheduler_runs", "pipeline_runs", "pipeline_steps", "pipeline_lease");
  /** An API slower than this to answer /healthz is a warning. */
  static final long SLOW_API_MS = 1_000;

  private final Pool chat;
  private final Pool trading;
  private final MarketDataProvider market;
  private final ZmartyConfig config;
  private final Clock clock;
  private final WebClient web;
  private final long limitMs;
  private final Supplier<String> apiUrl;

  public SystemChecks(Vertx vertx, Pool chat, Pool trading, MarketDataProvider market, ZmartyConfig config, Clock clock) {
    this(vertx, chat, trading, market, config, clock, () -> apiUrl(config));
  }

  /** @param apiUrl the /healthz the API check calls (a node's own, once its port is bound) */
  public SystemChecks(Vertx vertx, Pool chat, Pool trading, MarketDataProvider market, ZmartyConfig config, Clock clock, Supplier<String> apiUrl) {
    this.apiUrl = apiUrl;
    // listed once per process, here (wiring, a command's main thread) rather than on an event loop
    MigrationFiles.versions(Migrations.Target.CHAT);
    MigrationFiles.versions(Migrations.Target.TRADING);
    this.chat = chat;
    this.trading = trading;
    this.market = market;
    this.config = config;
    this.clock = clock;
    this.limitMs = Math.min(config.health().checkTimeout().toMillis(), TimeUnit.SECONDS.toMillis(MAX_LIMIT_S));
    this.web = WebClient.create(vertx, new WebClientOptions().setName("health-api").setConnectTimeout((int) limitMs).setKeepAlive(false));
  }

  public Future<SystemHealth> run() {
    Instant at = clock.instant();
    long t0 = System.nanoTime();
    List<Future<Check>> checks =
        List.of(
            timed("database_a", () -> database(chat)),
            timed("database_b", () -> database(trading)),
            timed("schema", this::schema),
            timed("market_data", this::market),
            timed("freshness", this::freshness),
            timed("integrity", this::integrity),
            timed("api", this::api));
    return Future.join(checks).transform(ignored -> Future.succeededFuture(new SystemHealth(checks.stream().map(Future::result).toList(), at, (System.nanoTime() - t0) / 1_000_000)));
  }

  /** Runs one check under its time limit; a failure or a timeout is that check's critical verdict. */
  private Future<Check> timed(String name, Supplier<Future<Check>> check) {
    long t0 = System.nanoTime();
    Future<Check> started;
    try {
      started = check.get();
    } catch (RuntimeException e) {
      started = Future.failedFuture(e);
    }
    return started
        .timeout(limitMs, TimeUnit.MILLISECONDS)
        .map(c -> new Check(name, c.status(), c.message(), c.details(), (System.nanoTime() - t0) / 1_000_000))
        .otherwise(err -> {
          long ms = (System.nanoTime() - t0) / 1_000_000;
          String why = err instanceof java.util.concurrent.TimeoutException ? "no answer within " + limitMs + " ms" : message(err);
          return new Check(name, Status.CRITICAL, why, new JsonObject().put("error", why).put("limit_ms", limitMs), ms);
        });
  }

  private Future<Check> database(Pool pool) {
    long t0 = System.nanoTime();
    return pool.query(OpsSql.VERSION).execute().map(rows -> {
      long ms = (System.nanoTime() - t0) / 1_000_000;
      String version = rows.iterator().next().getString("version");
      return new Check("", Status.HEALTHY, "PostgreSQL " + version + ", " + ms + " ms", new JsonObject().put("server_version", version).put("latency_ms", ms), 0);
    });
  }

  private Future<Check> schema() {
    Future<JsonObject> a = schemaOf(chat, Migrations.Target.CHAT, CHAT_TABLES);
    Future<JsonObject> b = schemaOf(trading, Migrations.Target.TRADING, TRADING_TABLES);
    return Future.all(a, b).map(all -> {
      JsonObject details = new JsonObject().put("a", a.result()).put("b", b.result());
      List<String> problems = new ArrayList<>();
      for (JsonObject db : List.of(a.result(), b.result())) {
        String label = db.getString("database");
        if (!db.getString("version").equals(db.getString("expected"))) {
          problems.add(label + " at " + db.getString("version") + ", expected " + db.getString("expected"));
        }
        if (!db.getJsonArray("missing").isEmpty()) {
          problems.add(label + " lacks " + db.getJsonArray("missing").encode());
        }
      }
      if (problems.isEmpty()) {
        return new Check("", Status.HEALTHY, "A and B at their newest migrations (" + a.result().getString("version") + ", " + b.result().getString("version") + "), all tables present", details, 0);
      }
      return new Check("", Status.CRITICAL, String.join("; ", problems), details, 0);
    });
  }

  private Future<JsonObject> schemaOf(Pool pool, Migrations.Target target, List<String> expected) {
    String newest = MigrationFiles.newest(target);
    Future<String> version = pool.query(OpsSql.SCHEMA_VERSION).execute()
        .map(rows -> Optional.ofNullable(rows.iterator().next().getString("version")).orElse("none"))
        .otherwise(err -> "none (" + message(err) + ")");
    Future<JsonObject> tables = pool.preparedQuery(OpsSql.TABLES).execute(Tuple.of(expected.toArray(String[]::new))).map(rows -> {
      JsonObject counts = new JsonObject();
      for (Row r : rows) {
        counts.put(r.getString("name"), r.getLong("rows"));
      }
      return counts;
    });
    return Future.all(version, tables).map(all -> {
      JsonArray missing = new JsonArray();
      expected.stream().filter(t -> !tables.result().containsKey(t)).forEach(missing::add);
      return new JsonObject().put("database", target == Migrations.Target.CHAT ? "A" : "B").put("version", version.result()).put("expected", newest).put("missing", missing).put("rows", tables.result());
    });
  }

  private Future<Check> market() {
    MarketConfig.Provider provider = config.market().provider();
    String name = provider.name().toLowerCase(java.util.Locale.ROOT);
    if (provider == MarketConfig.Provider.SIMULATED || provider == MarketConfig.Provider.REPLAY) {
      return Future.succeededFuture(new Check("", Status.HEALTHY, name + " (offline, always available)", new JsonObject().put("provider", name).put("offline", true), 0));
    }
    long t0 = System.nanoTime();
    // a little under the check's limit, so a silent exchange is reported by name, not as a bare timeout
    return market.lists("BTC/USDT", "1h").timeout(Math.max(50, limitMs - 100), TimeUnit.MILLISECONDS).map(listed -> {
      long ms = (System.nanoTime() - t0) / 1_000_000;
      return new Check("", Status.HEALTHY, name + " answered in " + ms + " ms", new JsonObject().put("provider", name).put("latency_ms", ms), 0);
    }).recover(err -> Future.failedFuture(new IllegalStateException(name + " unreachable: " + message(err), err)));
  }

  private Future<Check> freshness() {
    long t0 = System.nanoTime();
    return trading.query(OpsSql.NEWEST_BARS).execute().map(rows -> {
      List<Newest> pairs = new ArrayList<>();
      for (Row r : rows) {
        pairs.add(new Newest(r.getString("symbol"), r.getString("timeframe"), Optional.ofNullable(r.getOffsetDateTime("newest")).map(t -> t.toInstant())));
      }
      return DataJudgement.freshness(pairs, clock.instant(), config.ops().freshWarnBars(), config.ops().freshCriticalBars(), (System.nanoTime() - t0) / 1_000_000);
    });
  }

  private Future<Check> integrity() {
    return trading.query(OpsSql.PAIR_COUNTS).execute().map(rows -> {
      List<PairCounts> pairs = new ArrayList<>();
      for (Row r : rows) {
        pairs.add(new PairCounts(r.getString("symbol"), r.getString("timeframe"), r.getLong("signals"), r.getLong("resolved"),
            Optional.ofNullable(r.getOffsetDateTime("oldest")).map(t -> t.toInstant()), r.getInteger("horizon"), Optional.ofNullable(r.getLong("sample_size"))));
      }
      return DataJudgement.integrity(pairs, clock.instant(), config.ops().integrityMinSignals(), 0);
    });
  }

  private Future<Check> api() {
    String url = apiUrl.get();
    long t0 = System.nanoTime();
    return web.getAbs(url).timeout(limitMs).send().map(r -> {
      long ms = (System.nanoTime() - t0) / 1_000_000;
      JsonObject details = new JsonObject().put("url", url).put("http_status", r.statusCode()).put("latency_ms", ms);
      if (r.statusCode() == 200) {
        Status s = ms > SLOW_API_MS ? Status.WARNING : Status.HEALTHY;
        return new Check("", s, "GET /healthz 200 in " + ms + " ms" + (s == Status.WARNING ? " (slower than " + SLOW_API_MS + " ms)" : ""), details, 0);
      }
      if (r.statusCode() == 503) {
        return new Check("", Status.WARNING, "GET /healthz 503 in " + ms + " ms: the node reports a dependency down", details.put("body", r.bodyAsString()), 0);
      }
      return new Check("", Status.CRITICAL, "GET /healthz answered HTTP " + r.statusCode(), details, 0);
    }).recover(err -> Future.failedFuture(new IllegalStateException("GET " + url + " failed: " + message(err), err)));
  }

  /** {@code HEALTH_API_URL} (its /healthz), else this config's own port on the loopback. */
  public static String apiUrl(ZmartyConfig config) {
    String base = config.ops().apiUrl().orElse("http://127.0.0.1:" + config.http().port());
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return base.endsWith("/healthz") ? base : base + "/healthz";
  }

  private static String message(Throwable err) {
    return err.getMessage() == null ? err.getClass().getSimpleName() : err.getMessage();
  }
}
