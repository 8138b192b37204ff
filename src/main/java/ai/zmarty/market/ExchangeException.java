package ai.zmarty.market;

/**
 * An exchange request that failed for good: after its retries, on a status not worth retrying
 * (400, 404, 418), or with an answer that does not parse. {@code status} is 0 when no HTTP answer
 * came (timeout, connection failure, malformed body).
 */
public final class ExchangeException extends RuntimeException {
  private final String exchange;
  private final int status;

  public ExchangeException(String exchange, int status, String message) {
    super(message, null, false, false);
    this.exchange = exchange;
    this.status = status;
  }

  public int status() {
    return status;
  }

  /** The same failure with {@code note} appended to its message (why the retries stopped). */
  ExchangeException withNote(String note) {
    return new ExchangeException(exchange, status, getMessage() + note);
  }
}
