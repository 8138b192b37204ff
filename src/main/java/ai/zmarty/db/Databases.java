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
      return new Databases(pg.database(EMBEDDED_CHAT_DB), pg.database(EMBEDDED_TRADING_DB), Optional.of(pg));
    } catch (RuntimeException e) {
      pg.close();
      throw e;
    }
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
