package ai.zmarty.bench;

import ai.zmarty.config.ZmartyConfig.ChatConfig;
import ai.zmarty.db.Pools;
import ai.zmarty.limit.Admission;
import ai.zmarty.limit.ChatLimiter;
import ai.zmarty.testing.TestDatabases;
import ai.zmarty.testing.TestJwt;
import ai.zmarty.testing.TestNode;
import ai.zmarty.testing.Users;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * What a chat-limit check costs, per-node in memory ({@code CHAT_LIMITS_SCOPE=node}) against the
 * cluster-wide check in database A ({@code cluster}), run side by side in one run:
 * <ol>
 *   <li>the check alone: µs per check (an estimate's admit; a chat's admit with a slot and its release) one at a time, p50/p99, beside
 *       {@code select 1} on the same pool (the round trip a check folded into a statement the chat
 *       already makes would save), and checks a second with 32 at once;
 *   <li>the chat: two API nodes in this JVM, one per scope, answering the offline analyst with no
 *       pacing as one JSON body; requests alternate between them; p50/p99 of the whole chat and of
 *       {@code POST /chat/estimate}, and the difference (the check's added latency).
 * </ol>
 * Args: checks (2000), chats per node (300).
 */
public final class ChatLimitsBench {
  private ChatLimitsBench() {}

  public static void main(String[] args) throws Exception {
    int checks = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    int chats = args.length > 1 ? Integer.parseInt(args[1]) : 300;
    TestDatabases.Pair dbs = TestDatabases.migrated();
    Map<String, String> env = Map.of("OFFLINE_PACE", "0ms", "RATE_LIMIT_PER_MINUTE", "100000", "MAX_CONCURRENT_STREAMS", "1000", "ROLES", "api");
    Vertx vertx = Vertx.vertx();
    Pool pool = Pools.create(vertx, dbs.chat(), 8, "bench-limits");
    System.out.printf(Locale.ROOT, "chat limits: what a check costs (load average at start %.1f)%n", load());
    System.out.printf(Locale.ROOT, "%-50s %10s %10s %12s%n", "the check alone", "p50 µs", "p99 µs", "checks/s x32");
    Map<String, ChatLimiter> limiters = new java.util.LinkedHashMap<>();
    limiters.put("node (in memory)", ChatLimiter.of(chat(dbs, env, "node"), pool, "bench"));
    limiters.put("cluster (database A)", ChatLimiter.of(chat(dbs, env, "cluster"), pool, "bench"));
    for (boolean stream : new boolean[] {false, true}) {
      for (var e : limiters.entrySet()) {
        checks(e.getValue(), Math.max(200, checks / 4), stream); // warm-up: JIT, prepared statements and PL/pgSQL plans on every connection
        concurrent(e.getValue(), 320, stream);
        long[] t = checks(e.getValue(), checks, stream);
        String what = (stream ? "chat: admit with a slot + give it back, " : "estimate: admit, ") + e.getKey();
        System.out.printf(Locale.ROOT, "%-50s %10.1f %10.1f %12.0f%n", what, pct(t, 0.5) / 1e3, pct(t, 0.99) / 1e3, concurrent(e.getValue(), checks, stream));
      }
    }
    for (int i = 0; i < 200; i++) {
      pool.preparedQuery("select 1").execute().await(10, TimeUnit.SECONDS);
    }
    long[] ping = new long[checks];
    for (int i = 0; i < checks; i++) {
      long t0 = System.nanoTime();
      pool.preparedQuery("select 1").execute().await(10, TimeUnit.SECONDS);
      ping[i] = System.nanoTime() - t0;
    }
    Arrays.sort(ping);
    System.out.printf(Locale.ROOT, "%-50s %10.1f %10.1f %12s%n", "select 1 (one round trip, same pool)", pct(ping, 0.5) / 1e3, pct(ping, 0.99) / 1e3, "-");

    Vertx vn = Vertx.vertx();
    Vertx vc = Vertx.vertx();
    TestNode node = TestNode.api(vn, dbs, with(env, "node"));
    TestNode cluster = TestNode.api(vc, dbs, with(env, "cluster"));
    UUID user = Users.create(dbs.chat(), "pro", 100_000_000);
    for (String path : new String[] {"/chat", "/chat/estimate"}) {
      for (int i = 0; i < 30; i++) { // warm-up
        call(node, path, user);
        call(cluster, path, user);
      }
      long[] tn = new long[chats];
      long[] tc = new long[chats];
      for (int i = 0; i < chats; i++) {
        tn[i] = call(node, path, user);
        tc[i] = call(cluster, path, user);
      }
      Arrays.sort(tn);
      Arrays.sort(tc);
      System.out.printf(Locale.ROOT, "%n%-14s %-10s %10s %10s   (%d each, alternating)%n", "POST " + path, "scope", "p50 ms", "p99 ms", chats);
      System.out.printf(Locale.ROOT, "%-14s %-10s %10.2f %10.2f%n", "", "node", pct(tn, 0.5) / 1e6, pct(tn, 0.99) / 1e6);
      System.out.printf(Locale.ROOT, "%-14s %-10s %10.2f %10.2f%n", "", "cluster", pct(tc, 0.5) / 1e6, pct(tc, 0.99) / 1e6);
      System.out.printf(Locale.ROOT, "%-14s %-10s %+10.2f %+10.2f%n", "", "added", (pct(tc, 0.5) - pct(tn, 0.5)) / 1e6, (pct(tc, 0.99) - pct(tn, 0.99)) / 1e6);
    }
    System.out.printf(Locale.ROOT, "%nload average at the end %.1f%n", load());
    Future.join(vn.close(), vc.close(), vertx.close()).await(60, TimeUnit.SECONDS);
    System.exit(0);
  }

  private static ChatConfig chat(TestDatabases.Pair dbs, Map<String, String> env, String scope) {
    return dbs.config(with(env, scope)).chat();
  }

  private static Map<String, String> with(Map<String, String> env, String scope) {
    Map<String, String> all = new java.util.HashMap<>(env);
    all.put("CHAT_LIMITS_SCOPE", scope);
    return all;
  }

  /** One check after another, each awaited: nanoseconds each, sorted. */
  private static long[] checks(ChatLimiter limiter, int n, boolean stream) throws Exception {
    UUID user = UUID.randomUUID();
    long[] t = new long[n];
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      Admission a = limiter.admit(user, stream).await(10, TimeUnit.SECONDS);
      limiter.release(a).await(10, TimeUnit.SECONDS);
      t[i] = System.nanoTime() - t0;
    }
    Arrays.sort(t);
    return t;
  }

  /** 32 users checking at once, {@code n} checks in all: checks a second. */
  private static double concurrent(ChatLimiter limiter, int n, boolean stream) throws Exception {
    long t0 = System.nanoTime();
    List<Future<?>> lanes = new ArrayList<>();
    for (int lane = 0; lane < 32; lane++) {
      UUID user = UUID.randomUUID();
      Future<?> f = Future.succeededFuture();
      for (int i = 0; i < n / 32; i++) {
        f = f.compose(v -> limiter.admit(user, stream).compose(limiter::release));
      }
      lanes.add(f);
    }
    // the node limiter answers at once, so its lanes run one after another on this thread (single-threaded, as on the event loop)
    Future.all(lanes).await(120, TimeUnit.SECONDS);
    return (n / 32 * 32) / ((System.nanoTime() - t0) / 1e9);
  }

  private static long call(TestNode node, String path, UUID user) throws Exception {
    long t0 = System.nanoTime();
    HttpResponse<Buffer> r = node.client().post(node.port(), "127.0.0.1", path).putHeader("Authorization", "Bearer " + TestJwt.valid(user))
        .sendJsonObject(new JsonObject().put("message", "how is BTC?")).await(30, TimeUnit.SECONDS);
    if (r.statusCode() != 200) {
      throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + r.bodyAsString());
    }
    return System.nanoTime() - t0;
  }

  private static double load() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private static double pct(long[] sorted, double q) {
    return sorted.length == 0 ? Double.NaN : sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
  }
}
