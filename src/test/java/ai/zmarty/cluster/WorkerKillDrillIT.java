package ai.zmarty.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.testing.Eventually;
import ai.zmarty.testing.NodeProcess;
import ai.zmarty.testing.Sql;
import ai.zmarty.testing.TestDatabases;
import ai.zmarty.testing.TestJwt;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 14's first drill: one API node and two worker nodes as separate processes, one cluster; a
 * worker SIGKILLed every 10 s for 2 minutes (and started again) while ingest jobs keep arriving.
 * No job is lost, none is dead-lettered, no signal or signal event is duplicated, and the queues
 * are empty within 60 s of the last kill. The figures are printed for the closing note.
 */
class WorkerKillDrillIT {
  private static final String[] ASSETS = {"BTC", "ETH", "SOL", "BNB", "XRP", "ADA"};
  private static final Duration DRILL = Duration.ofMinutes(2);
  private static final Duration KILL_EVERY = Duration.ofSeconds(10);

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void workersKilledEvery10sFor2MinutesLoseAndDuplicateNothing() throws Exception {
    TestDatabases.Pair dbs = TestDatabases.migrated();
    int[] hz = {freePort(), freePort(), freePort()};
    String members = "127.0.0.1:" + hz[0] + ",127.0.0.1:" + hz[1] + ",127.0.0.1:" + hz[2];
    Map<String, String> common = new HashMap<>(dbs.env());
    common.putAll(Map.of(
        "JWT_SECRET", TestJwt.SECRET,
        "WEBHOOK_SECRET", "drill-webhook-secret-drill-webhook-0001",
        "CLUSTER_NAME", "zmarty-drill-" + ProcessHandle.current().pid(),
        "CLUSTER_HOST", "127.0.0.1",
        "CLUSTER_MEMBERS", members,
        "LOG_FORMAT", "text",
        "ZMARTY_DATA_DIR", Files.createTempDirectory("zmarty-drill").toString()));
    // a killed worker's messages come back after the visibility timeout; the schedules stay out of
    // the way (the drill sends its own jobs)
    common.putAll(Map.of("QUEUE_IDLE_POLL", "200ms", "QUEUE_VISIBILITY_TIMEOUT", "6s", "QUEUE_HANDLER_TIMEOUT", "5s", "QUEUE_BACKOFF_BASE", "1s",
        "SCHEDULER_INGEST_CRON", "0 0 1 1 *", "SCHEDULER_WINRATE_CRON", "0 0 1 1 *", "MARKET_LATENCY", "200ms", "METRICS_PORT", "0"));
    Map<String, String> apiEnv = new HashMap<>(common);
    apiEnv.put("HTTP_PORT", Integer.toString(freePort()));
    apiEnv.put("CLUSTER_PORT", Integer.toString(hz[0]));

    List<NodeProcess> started = java.util.Collections.synchronizedList(new ArrayList<>());
    try (NodeProcess api = new NodeProcess("api", apiEnv, "run", "--cluster", "--roles", "api,ops").start()) {
      // one at a time: members that start together can form separate clusters first and merge later
      api.awaitOutput("zmarty node up", Duration.ofSeconds(180));
      NodeProcess[] workers = new NodeProcess[2];
      for (int i = 0; i < 2; i++) {
        workers[i] = worker(common, hz[i + 1], "worker-" + i, started);
        workers[i].awaitOutput("zmarty node up", Duration.ofSeconds(180));
      }

      // the drill's clock: a batch of ingest jobs (one per pair) every second, a kill every 10 s
      java.util.concurrent.atomic.AtomicLong sent = new java.util.concurrent.atomic.AtomicLong();
      java.util.concurrent.atomic.AtomicInteger kills = new java.util.concurrent.atomic.AtomicInteger();
      java.util.concurrent.ScheduledExecutorService drill = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
      java.util.concurrent.CompletableFuture<Void> failure = new java.util.concurrent.CompletableFuture<>();
      drill.scheduleAtFixedRate(() -> {
        try {
          for (String asset : ASSETS) {
            Sql.exec(dbs.trading(), "select pgmq.send('ingest_indicators', '{\"symbol\": \"" + asset + "/USDT\", \"timeframe\": \"1h\"}'::jsonb)");
            sent.incrementAndGet();
          }
        } catch (RuntimeException e) {
          failure.completeExceptionally(e);
        }
      }, 0, 1, java.util.concurrent.TimeUnit.SECONDS);
      drill.scheduleAtFixedRate(() -> {
        try {
          int n = kills.incrementAndGet();
          int victim = n % 2;
          workers[victim].kill();
          workers[victim] = worker(common, hz[victim + 1], "worker-" + victim + "-" + n, started);
        } catch (Exception e) {
          failure.completeExceptionally(e);
        }
      }, KILL_EVERY.toSeconds(), KILL_EVERY.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
      drill.schedule(drill::shutdown, DRILL.toMillis() + 500, java.util.concurrent.TimeUnit.MILLISECONDS);
      assertThat(drill.awaitTermination(DRILL.toSeconds() + 30, java.util.concurrent.TimeUnit.SECONDS)).as("the drill ran its course").isTrue();
      assertThat(failure).as("the drill's own steps").isNotDone();
      long lastKill = System.nanoTime();
      String open = "select (select count(*) from pgmq.q_ingest_indicators) + (select count(*) from pgmq.q_compute_signals) + (select count(*) from pgmq.q_compute_winrate)";
      Eventually.await(Duration.ofSeconds(60), "the queues empty within 60 s of the last kill", () -> Sql.count(dbs.trading(), open) == 0);
      double drainSeconds = (System.nanoTime() - lastKill) / 1e9;

      long archived = Sql.count(dbs.trading(), "select count(*) from pgmq.a_ingest_indicators");
      long redelivered = Sql.count(dbs.trading(), "select count(*) from pgmq.a_ingest_indicators where read_ct > 1");
      long dead = Sql.count(dbs.trading(), "select count(*) from pgmq.q_dead_letter");
      long duplicateSignals = Sql.count(dbs.trading(), "select count(*) - count(distinct (symbol, timeframe, bar_time)) from signals");
      long duplicateEvents = Sql.count(dbs.trading(), "select count(*) - count(distinct body ->> 'id') from event_outbox where address = 'events.signal.created'");
      long signals = Sql.count(dbs.trading(), "select count(*) from signals");
      System.out.printf("DRILL workers killed: jobs sent %d, kills %d, archived %d (redelivered after a kill %d), lost %d, dead-lettered %d, signals %d, duplicate signals %d, duplicate events %d, drained %.1f s after the last kill%n",
          sent.get(), kills.get(), archived, redelivered, sent.get() - archived, dead, signals, duplicateSignals, duplicateEvents, drainSeconds);
      assertThat(kills.get()).isEqualTo((int) (DRILL.toSeconds() / KILL_EVERY.toSeconds()));
      assertThat(archived).as("every job handled and archived").isEqualTo(sent.get());
      assertThat(dead).as("nothing dead-lettered").isZero();
      assertThat(duplicateSignals).isZero();
      assertThat(duplicateEvents).as("one event per signal").isZero();
      assertThat(Sql.count(dbs.trading(), "select count(*) from event_outbox where address = 'events.signal.created'")).isEqualTo(signals);
      assertThat(signals).isPositive();
    } finally {
      for (NodeProcess p : List.copyOf(started)) {
        p.close();
      }
    }
  }

  private static NodeProcess worker(Map<String, String> common, int hzPort, String name, List<NodeProcess> started) throws IOException {
    Map<String, String> env = new HashMap<>(common);
    env.put("CLUSTER_PORT", Integer.toString(hzPort));
    NodeProcess p = new NodeProcess(name, env, "run", "--cluster", "--roles", "worker").start();
    started.add(p);
    return p;
  }
}
