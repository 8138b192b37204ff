package ai.zmarty.market;

import java.time.Duration;

/**
 * How an exchange adapter talks to its API: the base URL ({@code HYPERLIQUID_BASE_URL},
 * {@code BINANCE_BASE_URL}), the time limit per request ({@code MARKET_TIMEOUT}), how many times a
 * request is retried ({@code MARKET_RETRIES}) and the first backoff delay (doubling each retry).
 */
public record ExchangeOptions(String baseUrl, Duration timeout, int retries, Duration backoffBase) {
  public static final Duration DEFAULT_BACKOFF = Duration.ofMillis(500);

  public ExchangeOptions {
    if (baseUrl == null || baseUrl.isBlank()) {
      throw new IllegalArgumentException("base URL is missing");
    }
    baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    if (retries < 0) {
      throw new IllegalArgumentException("retries must not be negative");
    }
  }
}
