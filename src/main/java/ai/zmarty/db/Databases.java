package ai.zmarty.db;

import ai.zmarty.config.PgUrl;
import ai.zmarty.config.ZmartyConfig.DatabaseConfig;
import java.util.Optional;

/**
 * Where databases A ("chat") and B ("trading") are: the configured servers, or both inside one
 * embedded PostgreSQL started here when no URL is set.
 */
public final class Databases implements AutoCloseable {
  public static final String EMBEDDED_CHAT_DB = "zmarty_chat";
  public static final String EMBEDDED_TRADING_DB = "zmarty_trading";

  private final PgUrl chat;
  private final PgUrl trading;
  private final Optional<EmbeddedDatabase> embedded;

  private Databases(PgUrl chat, PgUrl trading, Optional<EmbeddedDatabase> embedded) {
    this.chat = chat;
    this.trading = trading;
    this.embedded = embedded;
  }

  public static Databases open(DatabaseConfig config) {
    if (!config.embedded()) {
      return new Databases(config.chatUrl().orElseThrow(), config.tradingUrl().orElseThrow(), Optional.empty());
    }
    EmbeddedDatabase pg = EmbeddedDatabase.start(config.dataDir().toAbsolutePath().resolve("postgres"), config.embeddedPort());
    try {
      PgUrl chat = pg.database(EMBEDDED_CHAT_DB);
      pg.durableCommits(EMBEDDED_CHAT_DB); // A holds the ledger; B keeps the server's (zonky's) asynchronous commits
      return new Databases(chat, pg.database(EMBEDDED_TRADING_DB), Optional.of(pg));
    } catch (RuntimeException e) {
      pg.close();
      throw e;
    }
  }

  /**
   * Like {@link #open}, except that with no URLs set it first looks for the embedded PostgreSQL a
   * running {@code zmarty demo} (or {@code run}) started under the same {@code ZMARTY_DATA_DIR}
   * and uses it without owning it; only when none runs does it start one (and stop it on close).
   * For the commands that work beside a running node: {@code health}, {@code nightly}.
   */
  public static Databases openShared(DatabaseConfig config) {
    if (config.embedded()) {
      Optional<Integer> port = RunningPostgres.port(config.dataDir().toAbsolutePath().resolve("postgres"));
      if (port.isPresent()) {
        return new Databases(PgUrl.local(port.get(), EMBEDDED_CHAT_DB), PgUrl.local(port.get(), EMBEDDED_TRADING_DB), Optional.empty());
      }
    }
    return open(config);
  }

  public PgUrl chat() {
    return chat;
  }

  public PgUrl trading() {
    return trading;
  }

  public boolean isEmbedded() {
    return embedded.isPresent();
  }

  @Override
  public void close() {
    embedded.ifPresent(EmbeddedDatabase::close);
  }
}
