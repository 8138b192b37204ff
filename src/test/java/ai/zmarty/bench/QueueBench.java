package ai.zmarty.bench;

import ai.zmarty.bus.Addresses;
import ai.zmarty.config.PgUrl;
import ai.zmarty.config.ZmartyConfig;
import ai.zmarty.db.Pools;
import ai.zmarty.metrics.Metrics;
import ai.zmarty.queue.PgmqClient;
import ai.zmarty.queue.PgmqPollerVerticle;
import ai.zmarty.testing.Sql;
import ai.zmarty.testing.TestDatabases;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * bench/queue (issue 15 goal 2): no-op jobs through our pgmq poller (pgmq.read → bus → handler →
 * archive, the real {@link PgmqPollerVerticle} on the configuration a node gets from its
 * environment) next to pg-boss@10 (a Node worker, bench/queue/pgboss.mjs) and a pgbench loop of
 * pgmq.read + pgmq.archive (the ceiling), all on one embedded PostgreSQL. Two throughput variants
 * with the same job count: pre-filled (every job waits before the consumer starts) and steady (a
 * producer sends batches of 100 while the consumer runs). Then the idle latency from send to
 * handler start (one job at a time, with an idle gap between). Prints jobs/s side by side and the
 * ratios against the goals; exits 1 when a goal is missed.
 *
 * <p>Arguments: jobs (50,000), latency samples (200), pg-boss workers (4), pgbench clients (2). The
 * batch size is the node's QUEUE_BATCH_SIZE, for the ceiling too; pg-boss tries the batch sizes
 * PGBOSS_BATCHES (default 100: its worker waits out its polling interval after every fetch, so a
 * batch of 10 caps it at 80 jobs/s with 4 workers) and counts its best. Environment: the node's own settings (QUEUE_*,
 * DB_POOL_SIZE), PGBENCH (default pgbench), ONLY (ours,pgboss,ceiling).
 */
public final class QueueBench {
  private static final int PRODUCER_BATCH = 100;
  /** Goals: ours ≥ 2× pg-boss, ≥ 0.5× the ceiling, idle send → handler start p50 < 5 ms. */
  private static final double VS_PGBOSS = 2.0;
  private static final double VS_CEILING = 0.5;
  private static final double IDLE_P50_MS = 5.0;

  private final PgUrl b;
  private final ZmartyConfig node;
  private final int jobs;
  private final Vertx vertx;
  private final Pool producerPool;

  private QueueBench(PgUrl b, ZmartyConfig node, int jobs) {
    this.b = b;
    this.node = node;
    this.jobs = jobs;
    // as a node builds its Vert.x: EVENT_LOOPS threads (one per processor by default)
    this.vertx = Vertx.vertx(ai.zmarty.Node.vertxOptions(node));
    this.producerPool = Pools.create(vertx, b, 1, "bench-producer");
  }

  public static void main(String[] args) {
    try {
      run(args);
    } catch (Exception | Error e) {
      e.printStackTrace();
      System.exit(2);
    }
  }

  private static void run(String[] args) throws Exception {
    int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
    int samples = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    int bossWorkers = args.length > 2 ? Integer.parseInt(args[2]) : 4;
    int pgbenchClients = args.length > 3 ? Integer.parseInt(args[3]) : 2;
    List<String> only = Arrays.asList(System.getenv().getOrDefault("ONLY", "ours,pgboss,ceiling").split(","));
    TestDatabases.Pair dbs = TestDatabases.migrated();
    Map<String, String> env = new HashMap<>();
    System.getenv().forEach((k, v) -> {
      if (k.startsWith("QUEUE_") || k.equals("DB_POOL_SIZE") || k.equals("EVENT_LOOPS")) {
        env.put(k, v);
      }
    });
    env.put("QUEUE_NAMES", "bench_pre");
    ZmartyConfig node = dbs.config(env);
    var q = node.queue();
    System.out.printf("queue settings: batch %d, max in flight %d, readers %d, idle poll %d ms, pool %d, event loops %d; %,d jobs; load: %s%n", q.batchSize(), q.maxInFlight(), q.readers(),
        q.idlePoll().toMillis(), node.database().poolSize(), node.eventLoopThreads(), jobs, Files.readString(Path.of("/proc/loadavg")).trim());
    QueueBench bench = new QueueBench(dbs.trading(), node, jobs);
    Map<String, Result> results = new HashMap<>();
    if (only.contains("ours")) {
      results.put("ours", bench.ours(samples));
    }
    if (only.contains("pgboss")) {
      results.put("pg-boss", bench.pgBoss(System.getenv().getOrDefault("PGBOSS_BATCHES", "100"), bossWorkers, samples));
    }
    if (only.contains("ceiling")) {
      results.put("ceiling", bench.ceiling(q.batchSize(), pgbenchClients));
    }
    boolean met = report(results);
    bench.vertx.close().await(10, TimeUnit.SECONDS);
    System.exit(met ? 0 : 1);
  }

  /** Throughput (jobs/s) pre-filled and steady, idle latency p50/p99 in ms (NaN when not measured). */
  record Result(double prefilled, double steady, double p50, double p99) {}

  private Result ours(int samples) throws Exception {
    // a node that has been running has its read → bus → archive path compiled: the first 50,000
    // jobs of a fresh JVM spend a core in the JIT compiler, which the SQL loop never pays
    int warmups = Integer.parseInt(System.getenv().getOrDefault("WARMUP_RUNS", "3"));
    for (int i = 0; i < warmups; i++) {
      oursThroughput("bench_warm" + i, false);
    }
    double prefilled = oursThroughput("bench_pre", false);
    double steady = oursThroughput("bench_steady", true);
    double[] latency = oursLatency("bench_idle", samples);
    return new Result(prefilled, steady, latency[0], latency[1]);
  }

  /** One poller deployment on {@code queue} with a no-op handler; the time until every job is archived. */
  private double oursThroughput(String queue, boolean steady) throws Exception {
    Sql.exec(b, "select pgmq.create('" + queue + "')");
    if (!steady) {
      produce(queue);
    }
    var consumer = vertx.eventBus().consumer(Addresses.job(queue), m -> m.reply(new JsonObject()));
    consumer.completion().await(10, TimeUnit.SECONDS);
    Pool pool = Pools.create(vertx, b, node.database().poolSize(), "bench-worker");
    boolean statements = "1".equals(System.getenv("PG_STATEMENTS"));
    if (statements) {
      PgStatements.reset(b);
    }
    long t0 = System.nanoTime();
    String id = vertx.deployVerticle(poller(pool, queue)).await(30, TimeUnit.SECONDS);
    if (steady) {
      produce(queue);
    }
    awaitEmpty("pgmq.q_" + queue, "msg_id", null);
    double seconds = (System.nanoTime() - t0) / 1e9;
    if (statements) {
      PgStatements.print(b, jobs);
    }
    vertx.undeploy(id).await(30, TimeUnit.SECONDS);
    consumer.unregister().await(10, TimeUnit.SECONDS);
    pool.close().await(10, TimeUnit.SECONDS);
    checkArchived(queue);
    System.out.printf("ours    %-9s %,d jobs in %.2f s: %,.0f jobs/s (load %s)%n", queue.startsWith("bench_warm") ? "warm-up" : steady ? "steady" : "prefilled", jobs, seconds, jobs / seconds, load());
    return jobs / seconds;
  }

  private PgmqPollerVerticle poller(Pool pool, String queue) {
    var base = node.queue();
    var config = new ZmartyConfig.QueueConfig(List.of(queue), base.deadLetterQueue(), base.maxReads(), base.batchSize(), base.maxInFlight(), base.readers(), base.visibilityTimeout(),
        base.handlerTimeout(), base.idlePoll(), base.backoffBase(), base.backoffMax());
    return new PgmqPollerVerticle(new PgmqClient(pool), config, Map.of(), Metrics.create(node.metrics()).jobs(), Pools.connectOptions(b, "bench-listen"));
  }

  /** One job at a time into an idle queue: from just before pgmq.send to the handler's first line. */
  private double[] oursLatency(String queue, int samples) throws Exception {
    Sql.exec(b, "select pgmq.create('" + queue + "')");
    Map<Integer, CompletableFuture<Long>> started = new ConcurrentHashMap<>();
    var consumer = vertx.eventBus().<JsonObject>consumer(Addresses.job(queue), m -> {
      long now = System.nanoTime();
      started.get(m.body().getJsonObject("payload").getInteger("i")).complete(now);
      m.reply(new JsonObject());
    });
    consumer.completion().await(10, TimeUnit.SECONDS);
    Pool pool = Pools.create(vertx, b, node.database().poolSize(), "bench-worker");
    String id = vertx.deployVerticle(poller(pool, queue)).await(30, TimeUnit.SECONDS);
    PgmqClient sender = new PgmqClient(producerPool);
    double[] ms = new double[samples];
    for (int i = -10; i < samples; i++) { // ten to warm up
      idleGap();
      var handled = new CompletableFuture<Long>();
      started.put(i, handled);
      long t0 = System.nanoTime();
      sender.send(queue, new JsonObject().put("i", i)).await(10, TimeUnit.SECONDS);
      long t1 = handled.get(30, TimeUnit.SECONDS);
      if (i >= 0) {
        ms[i] = (t1 - t0) / 1e6;
      }
    }
    vertx.undeploy(id).await(30, TimeUnit.SECONDS);
    consumer.unregister().await(10, TimeUnit.SECONDS);
    pool.close().await(10, TimeUnit.SECONDS);
    Arrays.sort(ms);
    double[] out = {percentile(ms, 50), percentile(ms, 99)};
    System.out.printf("ours    idle      send → handler start over %d jobs: p50 %.2f ms, p99 %.2f ms (load %s)%n", samples, out[0], out[1], load());
    return out;
  }

  /** The queue has been idle for a while: 20–40 ms between one job's start and the next send. */
  private static void idleGap() throws InterruptedException {
    Thread.sleep(20 + ThreadLocalRandom.current().nextInt(21));
  }

  private Result pgBoss(String batches, int workers, int samples) throws Exception {
    Path script = Path.of("bench/queue/pgboss.mjs");
    List<String> cmd = List.of("node", script.toString(), url(), Integer.toString(jobs), batches, Integer.toString(workers), Integer.toString(samples));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    JsonObject last = null;
    try (var in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        if (line.startsWith("{")) {
          last = new JsonObject(line);
        } else {
          System.out.println(line + " (load " + load() + ")");
        }
      }
    }
    if (p.waitFor() != 0 || last == null) {
      throw new IllegalStateException("pg-boss run failed (exit " + p.exitValue() + ")");
    }
    return new Result(last.getDouble("prefilled"), last.getDouble("steady"), last.getDouble("p50"), last.getDouble("p99"));
  }

  /** pgbench: each transaction reads a batch and archives it by id, as fast as the clients go. */
  private Result ceiling(int batch, int clients) throws Exception {
    double[] rates = new double[2];
    for (int steady = 0; steady < 2; steady++) {
      String queue = steady == 1 ? "bench_ceiling_steady" : "bench_ceiling_pre";
      Sql.exec(b, "select pgmq.create('" + queue + "')");
      if (steady == 0) {
        produce(queue);
      }
      Path script = Files.createTempFile("pgmq-loop", ".sql");
      Files.writeString(script, "select coalesce(array_agg(msg_id), '{}') as ids from pgmq.read('" + queue + "', 60, " + batch + ") \\gset\n"
          + "select count(*) from pgmq.archive('" + queue + "', cast(:ids as bigint[]));\n");
      String pgbench = System.getenv().getOrDefault("PGBENCH", "pgbench");
      boolean statements = "1".equals(System.getenv("PG_STATEMENTS"));
      if (statements) {
        PgStatements.reset(b);
      }
      long t0 = System.nanoTime();
      Process p = new ProcessBuilder(pgbench, "-n", "-M", "prepared", "-c", Integer.toString(clients), "-j", Integer.toString(clients), "-T", "600", "-f", script.toString(), url())
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      if (steady == 1) {
        produce(queue);
      }
      awaitEmpty("pgmq.q_" + queue, "msg_id", p);
      double seconds = (System.nanoTime() - t0) / 1e9;
      if (statements) {
        PgStatements.print(b, jobs);
      }
      p.destroy();
      p.waitFor(10, TimeUnit.SECONDS);
      checkArchived(queue);
      rates[steady] = jobs / seconds;
      System.out.printf("ceiling %-9s %,d jobs in %.2f s: %,.0f jobs/s (pgbench, %d clients; load %s)%n", steady == 1 ? "steady" : "prefilled", jobs, seconds, rates[steady], clients, load());
    }
    return new Result(rates[0], rates[1], Double.NaN, Double.NaN);
  }

  /** Sends the jobs through pgmq.send_batch, {@value #PRODUCER_BATCH} per statement, one after another. */
  private void produce(String queue) throws Exception {
    for (int from = 0; from < jobs; from += PRODUCER_BATCH) {
      JsonArray batch = new JsonArray();
      for (int i = from; i < Math.min(jobs, from + PRODUCER_BATCH); i++) {
        batch.add(new JsonObject().put("i", i).encode());
      }
      producerPool.preparedQuery("select count(*) from pgmq.send_batch($1::text, $2::text[]::jsonb[])").execute(Tuple.tuple().addString(queue).addArrayOfString(batch.stream().toArray(String[]::new))).await(30, TimeUnit.SECONDS);
    }
  }

  /** Waits until {@code table} has no row left, looking every 10 ms (an index probe). */
  private void awaitEmpty(String table, String key, Process consumer) throws Exception {
    try (Connection c = Sql.connect(b); var st = c.prepareStatement("select " + key + " from " + table + " order by " + key + " limit 1")) {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
      while (System.nanoTime() < deadline) {
        try (ResultSet rs = st.executeQuery()) {
          if (!rs.next()) {
            return;
          }
        }
        if (consumer != null && !consumer.isAlive()) {
          throw new IllegalStateException("the consumer exited (status " + consumer.exitValue() + ") before " + table + " was drained");
        }
        Thread.sleep(10);
      }
    }
    throw new IllegalStateException(table + " not drained in 10 minutes");
  }

  private void checkArchived(String queue) {
    long archived = Sql.count(b, "select count(*) from pgmq.a_" + queue);
    if (archived != jobs) {
      throw new IllegalStateException(queue + ": " + archived + " archived, expected " + jobs);
    }
  }

  private String url() {
    return "postgresql://" + b.user() + "@" + b.host() + ":" + b.port() + "/" + b.database();
  }

  private static String load() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (Exception e) {
      return "?";
    }
  }

  static double percentile(double[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  /** The table, the ratios and the goals; true when every goal measured is met. */
  private static boolean report(Map<String, Result> r) {
    System.out.println();
    System.out.printf("%-9s %16s %16s %14s %14s%n", "", "prefilled jobs/s", "steady jobs/s", "idle p50 ms", "idle p99 ms");
    for (String k : List.of("ours", "pg-boss", "ceiling")) {
      Result x = r.get(k);
      if (x != null) {
        System.out.printf("%-9s %,16.0f %,16.0f %14s %14s%n", k, x.prefilled(), x.steady(), ms(x.p50()), ms(x.p99()));
      }
    }
    Result ours = r.get("ours");
    if (ours == null) {
      return true;
    }
    List<String> missed = new ArrayList<>();
    System.out.println();
    if (r.get("pg-boss") instanceof Result boss) {
      goal("ours / pg-boss", ours.prefilled() / boss.prefilled(), ours.steady() / boss.steady(), VS_PGBOSS, missed);
    }
    if (r.get("ceiling") instanceof Result top) {
      goal("ours / ceiling", ours.prefilled() / top.prefilled(), ours.steady() / top.steady(), VS_CEILING, missed);
    }
    boolean idle = ours.p50() < IDLE_P50_MS;
    System.out.printf("%-16s p50 %.2f ms (goal < %.0f ms)%s%n", "ours idle", ours.p50(), IDLE_P50_MS, idle ? "" : "  MISSED");
    if (!idle) {
      missed.add("idle p50");
    }
    if (!missed.isEmpty()) {
      System.out.println("goals missed: " + String.join(", ", missed));
    }
    return missed.isEmpty();
  }

  private static void goal(String label, double pre, double steady, double goal, List<String> missed) {
    boolean ok = pre >= goal && steady >= goal;
    System.out.printf("%-16s prefilled %.2f×, steady %.2f× (goal ≥ %.1f×)%s%n", label, pre, steady, goal, ok ? "" : "  MISSED");
    if (!ok) {
      missed.add(label);
    }
  }

  private static String ms(double v) {
    return Double.isNaN(v) ? "–" : String.format("%.2f", v);
  }
}
