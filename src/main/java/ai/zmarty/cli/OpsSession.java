package ai.zmarty.cli;

import ai.zmarty.config.ZmartyConfig;
import ai.zmarty.db.Databases;
import ai.zmarty.db.Pools;
import ai.zmarty.market.MarketDataProvider;
import ai.zmarty.market.MarketProviders;
import ai.zmarty.ops.SystemChecks;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

/**
 * What {@code health} and {@code nightly} work on: databases A and B (the configured ones, or the
 * embedded PostgreSQL of a demo running under the same ZMARTY_DATA_DIR, started here when none
 * runs), a Vert.x of their own, small pools and the configured market.
 */
final class OpsSession implements AutoCloseable {
  final ZmartyConfig config;
  final Databases databases;
  final Vertx vertx;
  final Pool chat;
  final Pool trading;
  final MarketDataProvider market;

  OpsSession(ZmartyConfig config) {
    this.config = config;
    this.databases = Databases.openShared(config.database());
    this.vertx = Vertx.vertx();
    this.chat = Pools.create(vertx, databases.chat(), 2, "ops-chat");
    this.trading = Pools.create(vertx, databases.trading(), 4, "ops-trading");
    this.market = MarketProviders.create(vertx, config.market(), Clock.systemUTC());
  }

  /**
   * The configuration of {@code health} and {@code nightly}: {@code --url} as HEALTH_API_URL, and
   * unless LOG_LEVEL is set, only warnings logged (errors only with {@code --json}), since the
   * report is the output.
   */
  static ZmartyConfig config(String url, boolean json) {
    return config(url, json, java.util.Map.of());
  }

  /** {@link #config(String, boolean)} with {@code extra} settings on top (a command's options). */
  static ZmartyConfig config(String url, boolean json, java.util.Map<String, String> extra) {
    java.util.Map<String, String> overrides = new java.util.HashMap<>(extra);
    if (url != null) {
      overrides.put("HEALTH_API_URL", url);
    }
    if (System.getenv("LOG_LEVEL") == null) {
      overrides.put("LOG_LEVEL", json ? "error" : "warn");
    }
    return Cli.config(overrides);
  }

  SystemChecks checks() {
    return new SystemChecks(vertx, chat, trading, market, config, Clock.systemUTC());
  }

  /** Closes without waiting long: a hung database must not hold the command past its bound. */
  @Override
  public void close() {
    try {
      vertx.close().await(3, TimeUnit.SECONDS);
    } catch (Exception e) {
      // the process is about to exit
    }
    databases.close();
  }
}
