package ai.zmarty.http;

import java.util.List;
import java.util.Set;

/**
 * Which cross-origin calls the API answers (CORS): only those from the exact origins of
 * {@code CORS_ORIGINS}; none by default. A request from any other origin is served as before but
 * without CORS headers, so a browser keeps its answer from that page; a preflight from one is
 * refused with 403. No cookies are involved (tokens travel in headers), so credentials are never
 * allowed.
 */
public final class CorsPolicy {
  /** The methods the routes use. */
  public static final String ALLOW_METHODS = "GET, POST, PUT, PATCH, DELETE";
  /** The request headers a page may send: tokens, JSON bodies, source keys, chat retries. */
  public static final String ALLOW_HEADERS = "Authorization, Content-Type, X-API-Key, Idempotency-Key";
  /** The response headers a page may read: when to retry, and the rate limit's state. */
  public static final String EXPOSE_HEADERS = "Retry-After, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, RateLimit-Policy";
  /** Seconds a browser may reuse a preflight's answer. */
  public static final String MAX_AGE = "600";

  public enum Verdict {
    /** No Origin header: not a cross-origin call by a browser. */
    NOT_CORS,
    /** A listed origin's request: answered with its CORS headers. */
    ALLOWED,
    /** A listed origin's preflight: 204 with the allowed methods and headers. */
    PREFLIGHT,
    /** Another origin's request: served without CORS headers (its page cannot read the answer). */
    UNLISTED,
    /** Another origin's preflight: 403. */
    PREFLIGHT_REFUSED
  }

  private final Set<String> origins;

  public CorsPolicy(List<String> origins) {
    this.origins = Set.copyOf(origins);
  }

  /**
   * {@code origin}: the request's Origin header (null when absent); {@code preflight}: an OPTIONS
   * request carrying Access-Control-Request-Method.
   */
  public Verdict judge(String origin, boolean preflight) {
    if (origin == null) {
      return Verdict.NOT_CORS;
    }
    boolean listed = origins.contains(origin);
    if (preflight) {
      return listed ? Verdict.PREFLIGHT : Verdict.PREFLIGHT_REFUSED;
    }
    return listed ? Verdict.ALLOWED : Verdict.UNLISTED;
  }
}
