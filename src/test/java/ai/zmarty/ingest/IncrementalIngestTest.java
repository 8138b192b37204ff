package ai.zmarty.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.market.Candle;
import ai.zmarty.market.CandleCsv;
import ai.zmarty.market.Timeframe;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The rule that makes the worker's kept series safe: a bar's stored values do not depend on how
 * the series that computed them was built. On the last {@value #STEPS} bars of the shipped BTC/USD
 * 4h history, jobs of one, two or three new bars are run through {@link Ingestion} exactly as the
 * worker runs them (plan, append, or rebuild when told to — the history has a gap near its end);
 * then every bar written is compared with what a fresh rebuild writes for it: a cold node that
 * loads the {@value Ingestion#HISTORY_BARS} bars up to the end of a block and writes its
 * {@value Ingestion#BACKFILL_BARS} newest. Risk metric and liquidation proximity must be equal bit
 * for bit (fixed windows); the 32 indicator values equal up to the last digits of ta4j's running
 * window sums (10⁻⁹ relative), OBV and Parabolic SAR included.
 */
class IncrementalIngestTest {
  static final int STEPS = 2_400;
  private static final Timeframe TF = Timeframe.H4;

  @Test
  void everyBarAppendedByAKeptSeriesIsStoredAsAFreshRebuildStoresIt() {
    List<Candle> history = CandleCsv.resource("market/btc_usd_4h.csv");
    int first = history.size() - STEPS;
    Map<Instant, IngestedBar> stored = new LinkedHashMap<>();
    Map<Ingestion.Mode, Integer> modes = new LinkedHashMap<>();
    List<String> rebuildReasons = new ArrayList<>();
    PairSeries kept = null;
    int end = first; // bars [.., end) have closed
    for (int job = 0; end < history.size(); job++) {
      end = Math.min(history.size(), end + 1 + job % 3);
      Instant until = history.get(end - 1).openTime().plus(TF.duration());
      IngestedBar last = stored.isEmpty() ? null : stored.values().stream().reduce((a, b) -> b).orElseThrow();
      Ingestion.Stored newest = last == null ? null : new Ingestion.Stored(last.barTime(), last.indicators().close());
      Ingestion.Plan plan = Ingestion.plan(kept, newest, until, TF);
      Ingestion.Result result = null;
      if (plan.mode() == Ingestion.Mode.APPEND) {
        result = Ingestion.append(kept, between(history, plan.from(), until));
        if (result == null) {
          plan = new Ingestion.Plan(Ingestion.Mode.REBUILD, Ingestion.gap(kept.lastOpen()), until.minus(TF.duration().multipliedBy(Ingestion.HISTORY_BARS)), until);
        }
      }
      if (result == null) {
        rebuildReasons.add(plan.reason());
        result = Ingestion.rebuild(between(history, plan.from(), until), TF, newest == null ? null : newest.barTime(), plan.reason());
      }
      modes.merge(result.mode(), 1, Integer::sum);
      result.bars().forEach(b -> stored.put(b.barTime(), b));
      kept = result.series();
    }
    assertThat(rebuildReasons).hasSize(2);
    assertThat(rebuildReasons.get(0)).startsWith("cold");
    assertThat(rebuildReasons.get(1)).startsWith("gap"); // the history misses a bar near its end
    assertThat(modes.get(Ingestion.Mode.APPEND)).isGreaterThan(1_000);

    int compared = 0;
    for (int blockEnd = history.size(); blockEnd > first - Ingestion.BACKFILL_BARS; blockEnd -= Ingestion.BACKFILL_BARS) {
      Instant until = history.get(blockEnd - 1).openTime().plus(TF.duration());
      List<Candle> cold = between(history, until.minus(TF.duration().multipliedBy(Ingestion.HISTORY_BARS)), until);
      for (IngestedBar fresh : Ingestion.rebuild(cold, TF, null, "cold").bars()) {
        IngestedBar kept2 = stored.get(fresh.barTime());
        if (kept2 == null) {
          continue; // before the first job's backfill
        }
        assertThat(kept2.risk()).as("risk at %s", fresh.barTime()).isEqualTo(fresh.risk());
        assertThat(kept2.liquidation()).as("liquidation proximity at %s", fresh.barTime()).isEqualTo(fresh.liquidation());
        assertThat(kept2.indicators().warm()).isEqualTo(fresh.indicators().warm());
        assertThat(kept2.indicators().close()).isEqualTo(fresh.indicators().close());
        SameValues.assertSame(fresh.barTime(), kept2.indicators().values(), fresh.indicators().values());
        compared++;
      }
    }
    assertThat(compared).isEqualTo(stored.size()).isGreaterThan(STEPS);
  }

  /** Bars opening in [from, until). */
  private static List<Candle> between(List<Candle> history, Instant from, Instant until) {
    return history.stream().filter(c -> !c.openTime().isBefore(from) && c.openTime().isBefore(until)).toList();
  }
}
