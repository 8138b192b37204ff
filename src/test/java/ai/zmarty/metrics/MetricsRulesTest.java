package ai.zmarty.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The shipped alert rules: valid ({@code promtool check rules}), their unit tests pass ({@code
 * promtool test rules}), and every alert has a test in which it fires. promtool comes with
 * Debian's {@code prometheus} package, which {@code .ci/run} installs; on a developer's machine
 * without it these tests are skipped with a loud message, and {@code ZMARTY_REQUIRE_PROMTOOL=1}
 * (set by {@code .ci/run}) makes its absence a failure.
 */
class MetricsRulesTest {

  private record Run(int exit, String output) {}

  private static Run promtool(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("promtool"));
    command.addAll(List.of(args));
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException missing) {
      String why = "promtool is not installed (Debian: apt-get install prometheus; .ci/run installs it): the alert rules were NOT checked";
      if ("1".equals(System.getenv("ZMARTY_REQUIRE_PROMTOOL"))) {
        throw new AssertionError(why, missing);
      }
      System.err.println("\n*** SKIPPED: " + why + " ***\n");
      Assumptions.abort(why);
      throw missing;
    }
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("promtool " + String.join(" ", args) + " did not finish in 120 s");
    }
    return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  @Test
  void promtoolFindsTheRulesValid() throws Exception {
    Run r = promtool("check", "rules", MonitoringFiles.ALERTS.toString());
    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(r.output()).contains("SUCCESS: " + MonitoringFiles.alerts().size() + " rules found");
  }

  @Test
  void theRulesUnitTestsPassUnderPromtool() throws Exception {
    Run r = promtool("test", "rules", MonitoringFiles.ALERTS_TEST.toString());
    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(r.output()).contains("SUCCESS");
  }

  @Test
  void everyAlertHasAUnitTestInWhichItFires() throws Exception {
    assertThat(MonitoringFiles.alertsTestedFiring()).containsExactlyInAnyOrderElementsOf(MonitoringFiles.alerts().keySet());
    assertThat(MonitoringFiles.alerts().keySet()).contains("ZmartyQueueBacklog", "ZmartyChatErrorRate", "ZmartyHealthFailing", "ZmartyDeadLetterGrowing",
        "ZmartyProviderBreakerOpen", "ZmartyScheduledJobLate", "ZmartyNightlyNotOk");
  }

  @Test
  void metricNamesAreReadFromPromQlWithoutFunctionsLabelsOrDurations() {
    assertThat(MonitoringFiles.metricNames("histogram_quantile(0.95, sum by (le, route) (rate(vertx_http_server_response_time_seconds_bucket{code=~\"5..\"}[5m])))"))
        .containsExactly("vertx_http_server_response_time_seconds_bucket");
    assertThat(MonitoringFiles.metricNames("time() - max by (job) (a_seconds) > 2 * max by (job) (b_seconds) + 60 and c offset 1h"))
        .containsExactly("a_seconds", "b_seconds", "c");
  }
}
