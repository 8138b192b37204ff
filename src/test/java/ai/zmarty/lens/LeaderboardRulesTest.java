package ai.zmarty.lens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.zmarty.lens.Leaderboard.Counts;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The leaderboard's figures from counts, computed by hand. */
class LeaderboardRulesTest {

  @Test
  void hitRateWilsonBrierAndCostPerCorrectCall() {
    // 3 right of 4 judged; Brier sum 0.5; 1.2 spent
    JsonObject row = Leaderboard.row("model", new Counts("gpt", 5, 1, 4, 3, 0.5, 0.02, 1.2));
    assertThat(row.getDouble("hit_rate")).isEqualTo(0.75);
    // Wilson 95 %: centre (0.75 + 1.9208/4) / (1 + 3.8416/4) = 0.62752, half 0.32689
    assertThat(row.getJsonObject("hit_rate_ci").getDouble("low")).isCloseTo(0.30063, within(1e-4));
    assertThat(row.getJsonObject("hit_rate_ci").getDouble("high")).isCloseTo(0.95441, within(1e-4));
    assertThat(row.getDouble("brier")).isEqualTo(0.125);
    assertThat(row.getDouble("cost_per_correct")).isCloseTo(0.4, within(1e-12));
    assertThat(row.getDouble("mean_return")).isEqualTo(0.02);
  }

  @Test
  void nothingJudgedYetHasNoRatesAndNoRank() {
    JsonObject row = Leaderboard.row("source", new Counts("bot", 2, 0, 0, 0, null, null, 0));
    assertThat(row.getValue("hit_rate")).isNull();
    assertThat(row.getValue("hit_rate_ci")).isNull();
    assertThat(row.getValue("brier")).isNull();
    assertThat(row.getValue("cost_per_correct")).isNull();
    JsonArray models = Leaderboard.models(List.of(new Counts("new", 2, 0, 0, 0, null, null, 0)), new Counts(Leaderboard.VOTE, 0, 0, 0, 0, null, null, 0));
    assertThat(models).hasSize(1); // no vote row without a vote
    assertThat(models.getJsonObject(0).getValue("rank")).isNull();
  }

  @Test
  void aModelMostlyFallingBackIsMarkedAndNotRankedHoweverGoodItsFewCalls() {
    Counts flaky = new Counts("flaky", 10, 6, 4, 4, 0.0, 0.1, 0);
    Counts steady = new Counts("steady", 10, 0, 10, 5, 2.5, 0.0, 1);
    JsonArray models = Leaderboard.models(List.of(flaky, steady), new Counts(Leaderboard.VOTE, 10, 0, 10, 6, 2.0, 0.0, 1));
    assertThat(models.stream().map(o -> ((JsonObject) o).getString("model")).toList()).containsExactly(Leaderboard.VOTE, "steady", "flaky");
    JsonObject f = models.getJsonObject(2);
    assertThat(f.getBoolean("mostly_fallbacks")).isTrue();
    assertThat(f.getValue("rank")).isNull();
    assertThat(models.getJsonObject(0).getInteger("rank")).isEqualTo(1);
    assertThat(models.getJsonObject(0).getBoolean("vote")).isTrue();
    assertThat(models.getJsonObject(1).getInteger("rank")).isEqualTo(2);
    // exactly half is not "mostly"
    assertThat(Leaderboard.mostlyFallbacks(new Counts("half", 10, 5, 5, 1, 0.0, null, 0))).isFalse();
  }

  @Test
  void rankedByTheLowEndOfTheIntervalSoTwoLuckyCallsDoNotBeatManyGoodOnes() {
    Counts lucky = new Counts("lucky", 2, 0, 2, 2, 0.0, null, 0); // 100 %, Wilson low 0.34
    Counts steady = new Counts("steady", 100, 0, 100, 70, 20.0, null, 0); // 70 %, Wilson low 0.60
    JsonArray models = Leaderboard.models(List.of(lucky, steady), new Counts(Leaderboard.VOTE, 0, 0, 0, 0, null, null, 0));
    assertThat(models.getJsonObject(0).getString("model")).isEqualTo("steady");
  }

  @Test
  void windows() {
    Instant now = Instant.parse("2026-11-30T00:00:00Z");
    assertThat(Leaderboard.since("7d", now)).contains(Instant.parse("2026-11-23T00:00:00Z"));
    assertThat(Leaderboard.since("30d", now)).contains(Instant.parse("2026-10-31T00:00:00Z"));
    assertThat(Leaderboard.since("all", now)).contains(Instant.EPOCH);
    assertThat(Leaderboard.since("1y", now)).isEmpty();
  }
}
