package ai.zmarty.config;

/**
 * Limits on watched pairs: how many one user may watch, by tier ({@code MAX_SYMBOLS_FREE},
 * {@code _PRO}, {@code _ENTERPRISE}), how many dead-lettered ingests in a row pause a pair
 * ({@code WATCHER_PAUSE_AFTER}), and how many ingest jobs run at once on a node ({@code
 * INGEST_CONCURRENCY}) and how many pairs' series a node keeps ({@code INGEST_KEPT_PAIRS}).
 */
public record WatchConfig(int maxSymbolsFree, int maxSymbolsPro, int maxSymbolsEnterprise, int pauseAfter, int ingestConcurrency, int keptPairs) {

  /** The cap of {@code tier} ({@code free}, {@code pro}, {@code enterprise}). */
  public int maxSymbols(String tier) {
    return switch (tier) {
      case "enterprise" -> maxSymbolsEnterprise;
      case "pro" -> maxSymbolsPro;
      default -> maxSymbolsFree;
    };
  }

  static WatchConfig from(RawConfig raw) {
    return new WatchConfig(
        raw.integer("MAX_SYMBOLS_FREE", 0, 100_000),
        raw.integer("MAX_SYMBOLS_PRO", 0, 100_000),
        raw.integer("MAX_SYMBOLS_ENTERPRISE", 0, 100_000),
        raw.integer("WATCHER_PAUSE_AFTER", 1, 1_000),
        raw.integer("INGEST_CONCURRENCY", 1, 256),
        raw.integer("INGEST_KEPT_PAIRS", 0, 100_000));
  }
}
