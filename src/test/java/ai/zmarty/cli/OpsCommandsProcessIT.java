package ai.zmarty.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.testing.NodeProcess;
import ai.zmarty.testing.ApiFixture;
import ai.zmarty.testing.Sql;
import ai.zmarty.testing.TestDatabases;
import ai.zmarty.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code zmarty health} and {@code zmarty nightly} as an operator runs them: the jar, its exit codes and output, piped. */
class OpsCommandsProcessIT {
  @RegisterExtension static final ApiFixture fixture = new ApiFixture();

  private static Map<String, String> env(Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(fixture.dbs().env());
    env.put("HEALTH_API_URL", "http://127.0.0.1:" + fixture.api().port());
    // a cold JVM on a loaded CI machine: these tests pin output and exit codes, not latency
    env.put("HEALTH_CHECK_TIMEOUT", "15s");
    env.putAll(extra);
    return env;
  }

  /** Runs the jar to its end; returns exit code and output. */
  private static Ran run(Map<String, String> env, Duration limit, String... args) throws Exception {
    try (NodeProcess p = new NodeProcess(args[0], env, args)) {
      long t0 = System.nanoTime();
      p.start();
      int code = p.awaitExit(limit);
      return new Ran(code, p.output(), (System.nanoTime() - t0) / 1_000_000);
    }
  }

  record Ran(int code, String output, long ms) {}

  @Test
  void healthPrintsAPlainTableWhenPipedAndExitsZero() throws Exception {
    Ran r = run(env(Map.of()), Duration.ofSeconds(60), "health");
    assertThat(r.code()).as(r.output()).isZero();
    assertThat(r.output()).doesNotContain("\u001b[");
    assertThat(r.output()).containsPattern("(?m)^✓  database_a +healthy ").containsPattern("(?m)^(✓  api +healthy|⚠  api +warning .*slower than 1000 ms)").containsPattern("overall: (✓ healthy|⚠ warning) \\(7 checks in ");
  }

  @Test
  void healthJsonIsOneObjectAndACriticalCheckExitsOne() throws Exception {
    Ran r = run(env(Map.of()), Duration.ofSeconds(60), "health", "--json", "--url", "http://127.0.0.1:1");
    assertThat(r.code()).as(r.output()).isEqualTo(1);
    JsonObject report = new JsonObject(r.output().substring(r.output().indexOf('{')));
    assertThat(report.getString("status")).isEqualTo("critical");
    assertThat(report.getJsonArray("checks")).hasSize(7);
    assertThat(report.getJsonArray("checks").getJsonObject(6).getString("status")).isEqualTo("critical");
  }

  @Test
  void aBadOptionOrSettingIsAUsageErrorExitingTwo() throws Exception {
    assertThat(run(env(Map.of()), Duration.ofSeconds(60), "health", "--bogus").code()).isEqualTo(2);
    Ran bad = run(env(Map.of("HEALTH_FRESH_WARN_BARS", "many")), Duration.ofSeconds(60), "health");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.output()).contains("HEALTH_FRESH_WARN_BARS");
  }

  @Test
  void healthEndsUnderThirtySecondsWhenADatabaseAcceptsAndNeverAnswers() throws Exception {
    NetServer silent = fixture.vertx().createNetServer().connectHandler(socket -> {}).listen(0, "127.0.0.1").await();
    try {
      // even with the longest time limit a setting allows (1m), the command's bound holds
      Ran r = run(env(Map.of("CHAT_DATABASE_URL", "postgres://postgres@127.0.0.1:" + silent.actualPort() + "/zmarty_chat", "HEALTH_CHECK_TIMEOUT", "1m")), Duration.ofSeconds(60), "health");
      assertThat(r.code()).as(r.output()).isEqualTo(1);
      assertThat(r.ms()).as("wall time of the whole command, JVM start included").isLessThan(30_000);
      assertThat(r.output()).containsPattern("(?m)^✗  database_a +critical .*no answer within 15000 ms").containsPattern("(?m)^✓  database_b +healthy ");
    } finally {
      silent.close();
    }
  }

  @Test
  void nightlyFailsNamingTheDatabaseWhenItAcceptsAndNeverAnswers() throws Exception {
    NetServer silent = fixture.vertx().createNetServer().connectHandler(socket -> {}).listen(0, "127.0.0.1").await();
    try {
      Ran r = run(env(Map.of("CHAT_DATABASE_URL", "postgres://postgres@127.0.0.1:" + silent.actualPort() + "/zmarty_chat", "NIGHTLY_DB_TIMEOUT", "2s")), Duration.ofSeconds(90), "nightly");
      assertThat(r.code()).as(r.output()).isEqualTo(1);
      assertThat(r.output()).contains("zmarty nightly: failed before its health step: database chat (postgres://postgres@127.0.0.1:" + silent.actualPort()
          + "/zmarty_chat) did not answer within 2 s while its migrations were being applied (NIGHTLY_DB_TIMEOUT bounds each wait); no step ran");
      assertThat(r.ms()).as("wall time of the whole command, JVM start included").isLessThan(60_000);
    } finally {
      silent.close();
    }
  }

  @Test
  void nightlyExitsZeroOnSuccessAndOneOnPartial() throws Exception {
    Sql.exec(fixture.dbs().trading(), "insert into public.watchers (user_id, symbol, timeframe) values ('00000000-0000-0000-0000-00000000cccc', 'ETH/USDT', '1h')");
    Ran ok = run(env(Map.of()), Duration.ofMinutes(3), "nightly");
    assertThat(ok.code()).as(ok.output()).isZero();
    assertThat(ok.output()).contains("(cli): success in ").containsPattern("(?m)^  ✓ ingest +success .*1 pair\\(s\\)");

    Sql.exec(fixture.dbs().trading(), "insert into public.watchers (user_id, symbol, timeframe) values ('00000000-0000-0000-0000-00000000cccc', 'ETH/USDT', '7m')");
    Ran partial = run(env(Map.of()), Duration.ofMinutes(3), "nightly");
    assertThat(partial.code()).as(partial.output()).isEqualTo(1);
    assertThat(partial.output()).contains("(cli): partial in ").containsPattern("(?m)^  ✗ ingest +failed ");
    assertThat(Sql.column(fixture.dbs().trading(), "select status from public.pipeline_runs order by started_at")).containsExactly("success", "partial");
  }

  @Test
  void healthAndNightlyUseTheEmbeddedPostgresOfARunningDemo() throws Exception {
    Path data = Files.createTempDirectory("zmarty-ops-demo");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Map<String, String> env = Map.of("ZMARTY_DATA_DIR", data.toString(), "HTTP_PORT", String.valueOf(port), "LOG_FORMAT", "text", "HEALTH_CHECK_TIMEOUT", "15s");
    try (NodeProcess demo = new NodeProcess("demo", env, "demo").start()) {
      demo.awaitOutput("Zmarty demo is running", Duration.ofMinutes(3));
      Ran health = run(env, Duration.ofSeconds(60), "health");
      assertThat(health.code()).as(health.output()).isZero();
      assertThat(health.output()).containsPattern("(?m)^✓  schema +healthy ").containsPattern("(?m)^(✓  api +healthy|⚠  api +warning .*slower than 1000 ms)");
      Ran nightly = run(env, Duration.ofMinutes(3), "nightly");
      assertThat(nightly.code()).as(nightly.output()).isZero();
      assertThat(nightly.output()).containsPattern("(?m)^  ✓ ingest +success .*2 pair\\(s\\)");
      assertThat(demo.alive()).isTrue();
    }
  }
}
