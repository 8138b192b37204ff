package ai.zmarty.limit;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.function.BiConsumer;

/**
 * A rate limit shared by every node of the cluster: a token bucket per key kept in database B and
 * taken from with one atomic statement, so requests spread over any number of API nodes together
 * get the limit, not the limit times the nodes. Refills at {@code perMinute} a minute up to
 * {@code burst} tokens. Any limit keyed by a name (a source, a user) can sit on it.
 */
public final class ClusterRateLimiter {
  private final Pool pool;
  private final Policy policy;
  private final String namespace;

  /**
   * @param namespace prefix of this limit's bucket keys (e.g. {@code lens.source}), so limits on
   *     the same table never share a bucket
   */
  public ClusterRateLimiter(Pool pool, Policy policy, String namespace) {
    this.pool = pool;
    this.policy = policy;
    this.namespace = namespace;
  }

  /** {@code perMinute} sustained, at most {@code burst} at once. */
  public record Policy(int perMinute, int burst) {
    public Policy {
      if (perMinute < 1 || burst < 1) {
        throw new IllegalArgumentException("a rate limit needs at least 1 a minute and a burst of at least 1");
      }
    }

    double perSecond() {
      return perMinute / 60.0;
    }
  }

  /** Takes one token from {@code key}'s bucket, or says how long until one is there. */
  public Future<Decision> take(String key) {
    return pool.preparedQuery(LimitSql.TAKE)
        .execute(Tuple.of(namespace + ":" + key, (double) policy.burst(), policy.perSecond()))
        .map(rows -> {
          Row r = rows.iterator().next();
          return new Decision(r.getBoolean("granted"), r.getDouble("remaining"), policy);
        });
  }

  /** The bucket after one request: granted or not, and the tokens left (fractions count toward the next). */
  public record Decision(boolean allowed, double tokens, Policy policy) {
    /** Whole requests that may follow at once. */
    public long remaining() {
      return Math.max(0, (long) Math.floor(tokens));
    }

    /** Seconds until one token is back (0 when allowed); at least 1 when refused. */
    public long retryAfterSeconds() {
      return allowed ? 0 : Math.max(1, (long) Math.ceil((1 - tokens) / policy.perSecond()));
    }

    /** Seconds until the bucket is full again (the whole burst available). */
    public long resetSeconds() {
      return Math.max(0, (long) Math.ceil((policy.burst() - tokens) / policy.perSecond()));
    }

    /**
     * The answer's headers: {@code RateLimit-Limit} (the burst), {@code RateLimit-Remaining},
     * {@code RateLimit-Reset} (seconds until full), {@code RateLimit-Policy} ({@code burst;w=window
     * seconds over which the burst refills}) and, when refused, {@code Retry-After}.
     */
    public void headers(BiConsumer<String, String> put) {
      put.accept("RateLimit-Limit", Long.toString(policy.burst()));
      put.accept("RateLimit-Remaining", Long.toString(remaining()));
      put.accept("RateLimit-Reset", Long.toString(resetSeconds()));
      put.accept("RateLimit-Policy", policy.burst() + ";w=" + (long) Math.ceil(policy.burst() / policy.perSecond()));
      if (!allowed) {
        put.accept("Retry-After", Long.toString(retryAfterSeconds()));
      }
    }
  }
}
