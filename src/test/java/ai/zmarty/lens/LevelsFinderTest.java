package ai.zmarty.lens;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.market.Candle;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LevelsFinderTest {
  private static List<Candle> bars(double[][] highLow) {
    List<Candle> out = new ArrayList<>();
    for (int i = 0; i < highLow.length; i++) {
      double h = highLow[i][0];
      double l = highLow[i][1];
      out.add(new Candle(Instant.ofEpochSecond(3600L * i), (h + l) / 2, h, l, (h + l) / 2, 1));
    }
    return out;
  }

  @Test
  void swingHighsAboveThePriceAreResistanceAndSwingLowsBelowAreSupportNearestFirst() {
    // two swing highs (110 at bar 4, 120 at bar 12) and two swing lows (90 at bar 8, 80 at bar 16)
    double[][] hl = {
      {100, 98}, {102, 99}, {104, 100}, {106, 101}, {110, 103}, {106, 100}, {104, 95}, {102, 93}, {100, 90}, {103, 93}, {106, 96},
      {112, 100}, {120, 105}, {113, 101}, {108, 95}, {104, 86}, {100, 80}, {103, 85}, {106, 88}, {108, 92}
    };
    JsonObject levels = LevelsFinder.find(bars(hl), 100);
    assertThat(levels).isEqualTo(new JsonObject()
        .put("support", new JsonArray().add(new JsonObject().put("price", 90.0).put("touches", 1)).add(new JsonObject().put("price", 80.0).put("touches", 1)))
        .put("resistance", new JsonArray().add(new JsonObject().put("price", 110.0).put("touches", 1)).add(new JsonObject().put("price", 120.0).put("touches", 1))));
  }

  @Test
  void swingsWithinAFewTenthsOfAPercentAreOneLevelTouchedTwice() {
    double[][] hl = {{100, 98}, {101, 98}, {102, 99}, {110, 100}, {102, 98}, {101, 97}, {100, 96}, {101, 97}, {102, 98}, {110.2, 100}, {103, 99}, {102, 98}, {101, 97}};
    JsonArray resistance = LevelsFinder.find(bars(hl), 100).getJsonArray("resistance");
    assertThat(resistance).hasSize(1);
    assertThat(resistance.getJsonObject(0).getDouble("price")).isEqualTo(110.1);
    assertThat(resistance.getJsonObject(0).getInteger("touches")).isEqualTo(2);
  }

  @Test
  void tooFewBarsOrAFlatMarketGiveNoLevels() {
    assertThat(LevelsFinder.find(List.of(), 100)).isEqualTo(new JsonObject().put("support", new JsonArray()).put("resistance", new JsonArray()));
    double[][] flat = new double[20][];
    java.util.Arrays.fill(flat, new double[] {100, 100});
    assertThat(LevelsFinder.find(bars(flat), 100).getJsonArray("support")).isEmpty();
  }
}
