package ai.zmarty.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

/**
 * What "the same indicator values" means for two series that computed a bar differently (a kept
 * series and a rebuilt one): every key null in both, or equal within {@value #TOLERANCE} of its
 * size (at least 1). What is left between them is the last binary digits of ta4j's running window
 * sums, which depend on where a series started.
 */
public final class SameValues {
  public static final double TOLERANCE = 1e-9;

  private SameValues() {}

  public static void assertSame(Instant at, IndicatorValues kept, IndicatorValues fresh) {
    List<Object> a = List.copyOf(kept.toJson().getMap().values());
    List<Object> b = List.copyOf(fresh.toJson().getMap().values());
    for (int k = 0; k < IndicatorValues.KEYS.size(); k++) {
      Double x = (Double) a.get(k);
      Double y = (Double) b.get(k);
      String key = IndicatorValues.KEYS.get(k);
      if (x == null || y == null) {
        assertThat(x).as("%s at %s", key, at).isEqualTo(y);
        continue;
      }
      assertThat(Math.abs(x - y)).as("%s at %s: kept %s, rebuilt %s", key, at, x, y).isLessThanOrEqualTo(TOLERANCE * Math.max(1, Math.max(Math.abs(x), Math.abs(y))));
    }
  }
}
