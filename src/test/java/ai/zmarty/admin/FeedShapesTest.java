package ai.zmarty.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The feed's pure shaping: the error ring, queue history, provider sums, node reports, cron marks, record links. */
class FeedShapesTest {
  private static final Instant T0 = Instant.parse("2026-11-30T10:00:30Z");

  @Test
  void keepsTheNewest200ErrorsNewestFirst() {
    FeedState state = new FeedState();
    for (int i = 0; i < 250; i++) {
      state.error(new JsonObject().put("message", "e" + i));
    }
    JsonArray errors = state.errors().getJsonArray("errors");
    assertThat(errors).hasSize(200);
    assertThat(errors.getJsonObject(0).getString("message")).isEqualTo("e249");
    assertThat(errors.getJsonObject(199).getString("message")).isEqualTo("e50");
  }

  @Test
  void queueHistoryIsOnePointAMinuteWithTheLargestDepthAndAnHourLong() {
    FeedState state = new FeedState();
    JsonObject q = new JsonObject().put("queue", "compute_signals").put("depth", 5L).put("done_last_minute", 2L);
    state.queues(List.of(q), Set.of(), T0);
    state.queues(List.of(q.copy().put("depth", 9L).put("done_last_minute", 4L)), Set.of(), T0.plusSeconds(10));
    JsonObject out = state.queues(List.of(q.copy().put("depth", 1L)), Set.of("compute_signals"), T0.plusSeconds(20)).getJsonArray("queues").getJsonObject(0);
    assertThat(out.getBoolean("paused")).isTrue();
    assertThat(out.getJsonObject("series").getJsonArray("depth").getList()).containsExactly(9L);
    assertThat(out.getJsonObject("series").getJsonArray("done").getList()).containsExactly(2L);
    for (int m = 1; m <= 70; m++) {
      out = state.queues(List.of(q.copy().put("depth", (long) m)), Set.of(), T0.plusSeconds(60L * m)).getJsonArray("queues").getJsonObject(0);
    }
    JsonArray minutes = out.getJsonObject("series").getJsonArray("minutes");
    assertThat(minutes).hasSize(FeedState.MINUTES);
    assertThat(minutes.getLong(59) - minutes.getLong(0)).isEqualTo(59 * 60);
    assertThat(out.getJsonObject("series").getJsonArray("depth").getLong(59)).isEqualTo(70);
  }

  @Test
  void sumsProvidersOverNodesWithAnOpenBreakerWinningAndAWeightedMean() {
    JsonObject a = new JsonObject().put("providers", new JsonArray().add(new JsonObject().put("provider", "grok").put("requests", 3L).put("errors", 1L).put("breaker_open", false).put("mean_ms", 100.0).put("max_ms", 150.0)));
    JsonObject b = new JsonObject().put("providers", new JsonArray().add(new JsonObject().put("provider", "grok").put("requests", 1L).put("errors", 0L).put("breaker_open", true).put("mean_ms", 500.0).put("max_ms", 500.0)));
    JsonObject grok = FeedState.providers(List.of(a, b)).getJsonArray("providers").getJsonObject(0);
    assertThat(grok.getLong("requests")).isEqualTo(4);
    assertThat(grok.getString("breaker")).isEqualTo("open");
    assertThat(grok.getDouble("mean_ms")).isEqualTo(200.0);
    assertThat(grok.getDouble("max_ms")).isEqualTo(500.0);
    assertThat(grok.getDouble("error_rate")).isEqualTo(0.2);
    assertThat(grok.getInteger("nodes")).isEqualTo(2);
  }

  @Test
  void forgetsNodesSilentForFiveSeconds() {
    FeedState state = new FeedState();
    state.report(new JsonObject().put("node", "a").put("roles", new JsonArray().add("api")), T0);
    state.report(new JsonObject().put("node", "b").put("roles", new JsonArray().add("ops")), T0.plusSeconds(4));
    assertThat(state.liveReports(T0.plusSeconds(6)).stream().map(r -> r.getString("node")).toList()).containsExactly("b");
    assertThat(FeedState.cluster(state.liveReports(T0.plusSeconds(6)), 2).getInteger("members")).isEqualTo(2);
  }

  @Test
  void aNodeReportReadsItsChatOutcomesAndProvidersFromItsMetrics() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Counter.builder("zmarty.chat.requests").tag("provider", "grok").tag("outcome", "answered").register(registry).increment(3);
    Counter.builder("zmarty.chat.requests").tag("provider", "none").tag("outcome", "refused_402").register(registry).increment(2);
    Counter.builder("zmarty.chat.requests").tag("provider", "none").tag("outcome", "rate_limited").register(registry).increment(5);
    Counter.builder("zmarty.provider.errors").tag("provider", "grok").tag("kind", "timeout").register(registry).increment();
    Timer.builder("zmarty.chat.duration").tag("provider", "grok").register(registry).record(Duration.ofMillis(40));
    JsonObject report = NodeReporter.report(registry, "host:1", List.of("API"), "local", T0);
    assertThat(report.getJsonObject("chats").getMap()).containsEntry("answered", 3L).containsEntry("refused_402", 2L).containsEntry("rate_limited", 5L);
    assertThat(report.getJsonArray("providers")).hasSize(1);
    JsonObject grok = report.getJsonArray("providers").getJsonObject(0);
    assertThat(grok.getLong("requests")).isEqualTo(3);
    assertThat(grok.getLong("errors")).isEqualTo(1);
    assertThat(grok.getDouble("mean_ms")).isEqualTo(40.0);
    assertThat(report.getJsonArray("roles").getList()).containsExactly("api");
    assertThat(FeedState.chatOutcomes(List.of(report, report)).getLong("refused_402")).isEqualTo(4);
  }

  private static JsonObject job(String prev, String next0, String next1, JsonArray runs) {
    return new JsonObject().put("jobs", new JsonArray().add(new JsonObject().put("job", "j").put("next", new JsonArray()
        .add(new JsonObject().put("utc", next0)).add(new JsonObject().put("utc", next1))).put("runs", runs)));
  }

  @Test
  void marksAMissedSlotAndALateRunButNotAManualOne() {
    JsonArray none = new JsonArray();
    JsonObject missed = CronMarks.mark(job(null, "2026-11-30T11:00:00Z", "2026-11-30T12:00:00Z", none), Instant.parse("2026-11-30T10:03:00Z")).getJsonArray("jobs").getJsonObject(0);
    assertThat(missed.getString("previous")).isEqualTo("2026-11-30T10:00:00Z");
    assertThat(missed.getBoolean("missed")).isTrue();
    JsonObject inGrace = CronMarks.mark(job(null, "2026-11-30T11:00:00Z", "2026-11-30T12:00:00Z", none), Instant.parse("2026-11-30T10:01:00Z")).getJsonArray("jobs").getJsonObject(0);
    assertThat(inGrace.getBoolean("missed")).isFalse();
    JsonArray manual = new JsonArray().add(new JsonObject().put("trigger", "manual").put("slot", "2026-11-30T10:02:00Z").put("started_at", "2026-11-30T10:02:00Z"));
    assertThat(CronMarks.mark(job(null, "2026-11-30T11:00:00Z", "2026-11-30T12:00:00Z", manual), Instant.parse("2026-11-30T10:03:00Z")).getJsonArray("jobs").getJsonObject(0).getBoolean("missed")).isTrue();
    JsonArray late = new JsonArray().add(new JsonObject().put("trigger", "schedule").put("slot", "2026-11-30T10:00:00Z").put("started_at", "2026-11-30T10:02:30Z"));
    JsonObject j = CronMarks.mark(job(null, "2026-11-30T11:00:00Z", "2026-11-30T12:00:00Z", late), Instant.parse("2026-11-30T10:03:00Z")).getJsonArray("jobs").getJsonObject(0);
    assertThat(j.getBoolean("missed")).isFalse();
    assertThat(j.getJsonArray("runs").getJsonObject(0).getBoolean("late")).isTrue();
  }

  @Test
  void linksEachJobToTheRecordBehindIt() {
    assertThat(RecordLinks.of(new JsonObject().put("symbol", "BTC/USDT").put("timeframe", "1h")))
        .isEqualTo(new JsonObject().put("kind", "pair").put("label", "BTC/USDT 1h").put("href", "/signals?symbol=BTC%2FUSDT&timeframe=1h"));
    assertThat(RecordLinks.of(new JsonObject().put("event_id", "e-1")).getString("kind")).isEqualTo("lens_event");
    assertThat(RecordLinks.of(new JsonObject().put("signal_id", 42)).getString("label")).isEqualTo("signal 42");
    assertThat(RecordLinks.of(new JsonObject())).isNull();
  }
}
