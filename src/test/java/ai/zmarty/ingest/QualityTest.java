package ai.zmarty.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.market.Candle;
import ai.zmarty.market.CandleQuality.Flag;
import ai.zmarty.market.CandleQuality.Kind;
import ai.zmarty.market.Timeframe;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class QualityTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Duration H1 = Duration.ofHours(1);

  /** {@code n} hourly bars from T0 around 100, leaving out the hours in {@code skip}. */
  private static List<Candle> bars(int n, int... skip) {
    List<Candle> out = new ArrayList<>();
    outer:
    for (int i = 0; i < n; i++) {
      for (int s : skip) {
        if (s == i) {
          continue outer;
        }
      }
      double p = 100 + Math.sin(i * 0.3) * 3;
      out.add(new Candle(T0.plus(H1.multipliedBy(i)), p, p + 1, p - 1, p, 10));
    }
    return out;
  }

  private static Instant hour(int i) {
    return T0.plus(H1.multipliedBy(i));
  }

  @Test
  void aBarRightAfterAHoleIsFlaggedMissingOnAnyNode() {
    List<Candle> history = bars(400, 380, 381);
    Ingestion.Result r = Ingestion.rebuild(history, Timeframe.H1, hour(370), "cold");
    IngestedBar after = r.bars().stream().filter(b -> b.barTime().equals(hour(382))).findFirst().orElseThrow();
    assertThat(after.quality()).containsExactly(new Flag(Kind.MISSING, hour(380), "2 bar(s) missing before " + hour(382)));
    assertThat(r.bars().stream().filter(b -> !b.quality().isEmpty())).hasSize(1);
    assertThat(r.flags()).hasSize(1);
  }

  @Test
  void theNewestBarOfAJobWhoseFeedIsBehindIsStale() {
    List<Candle> history = bars(300);
    Instant until = hour(303); // bars up to 302 should have closed; the feed stops at 299
    Ingestion.Result r = Ingestion.withQuality(Ingestion.rebuild(history, Timeframe.H1, hour(295), "cold"), List.of(), until, until.plusSeconds(120));
    assertThat(r.bars()).hasSize(4);
    assertThat(r.bars().getLast().quality()).extracting(Flag::kind).containsExactly(Kind.STALE);
    assertThat(r.bars().getLast().quality().getFirst().detail()).contains("3 bar(s) behind");
    assertThat(r.bars().subList(0, 3)).allSatisfy(b -> assertThat(b.quality()).isEmpty());
    // on time: nothing
    assertThat(Ingestion.withQuality(Ingestion.rebuild(history, Timeframe.H1, hour(295), "cold"), List.of(), hour(300), hour(300).plusSeconds(120)).flags()).isEmpty();
  }

  @Test
  void aBarJustClosedMayNotBePublishedYetWithoutTheFeedBeingStale() {
    List<Candle> history = bars(300);
    Ingestion.Result rebuilt = Ingestion.rebuild(history, Timeframe.H1, hour(295), "cold");
    // 20 s after bar 300 closed, it has not come: not stale yet
    assertThat(Ingestion.withQuality(rebuilt, List.of(), hour(301), hour(301).plusSeconds(20)).flags()).isEmpty();
    // a minute and more after: stale
    assertThat(Ingestion.withQuality(rebuilt, List.of(), hour(301), hour(301).plusSeconds(61)).flags()).extracting(Flag::kind).containsExactly(Kind.STALE);
    // within the grace, but two bars missing: stale
    assertThat(Ingestion.withQuality(rebuilt, List.of(), hour(302), hour(302).plusSeconds(20)).flags()).extracting(Flag::kind).containsExactly(Kind.STALE);
  }

  @Test
  void aJobWithNothingNewWhileTheFeedIsBehindReportsItWithoutWriting() {
    List<Candle> history = bars(300);
    Ingestion.Result r = Ingestion.withQuality(Ingestion.rebuild(history, Timeframe.H1, hour(299), "cold"), List.of(), hour(305), hour(305));
    assertThat(r.isEmpty()).isTrue();
    assertThat(r.flags()).extracting(Flag::kind).containsExactly(Kind.STALE);
  }

  @Test
  void anImpossibleBarTheExchangeDroppedFlagsTheBarThatBridgedItsHole() {
    List<Candle> history = bars(300, 297);
    Flag dropped = new Flag(Kind.OUT_OF_RANGE, hour(297), "high 1.0 below low 2.0 (dropped)");
    Flag older = new Flag(Kind.OUT_OF_RANGE, hour(10), "close outside (dropped)"); // in history not written
    Ingestion.Result r = Ingestion.withQuality(Ingestion.rebuild(history, Timeframe.H1, hour(294), "cold"), List.of(dropped, older), hour(300), hour(300));
    IngestedBar bridging = r.bars().stream().filter(b -> b.barTime().equals(hour(298))).findFirst().orElseThrow();
    assertThat(bridging.quality()).extracting(Flag::kind).containsExactly(Kind.MISSING, Kind.OUT_OF_RANGE);
    assertThat(r.bars().stream().filter(b -> !b.quality().isEmpty())).hasSize(1);
    // the job's summary lists every flag, also the one on a bar it did not write
    assertThat(r.flags()).extracting(Flag::kind).containsExactlyInAnyOrder(Kind.MISSING, Kind.OUT_OF_RANGE, Kind.OUT_OF_RANGE);
  }

  @Test
  void flagsTravelAsJsonAndUnreadableEntriesAreSkipped() {
    List<Flag> flags = List.of(new Flag(Kind.STALE, hour(5), "behind"), new Flag(Kind.MISSING, hour(2), "1 bar(s) missing"));
    JsonArray json = Quality.toJson(flags);
    assertThat(json.getJsonObject(0).getString("kind")).isEqualTo("stale");
    assertThat(json.getJsonObject(0).getString("at")).isEqualTo("2026-01-01T05:00:00Z");
    assertThat(Quality.fromJson(json)).isEqualTo(flags);
    JsonArray odd = json.copy().add(new JsonObject().put("kind", "cosmic_ray").put("at", "x")).add("not an object");
    assertThat(Quality.fromJson(odd)).isEqualTo(flags);
    assertThat(Quality.fromJson(null)).isEmpty();
  }
}
