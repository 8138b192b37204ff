package ai.zmarty.market;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.contracts.FileLoad;
import ai.zmarty.testing.LogCapture;
import ch.qos.logback.classic.Level;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The replay market with a history file that is missing: one warning naming it, no bars, no exception — read after read. */
class ReplayFilesTest {
  @Test
  void aMissingHistoryFileGivesOneWarningAndNoBars() {
    Instant start = Instant.parse("2024-01-01T00:00:00Z");
    ReplayMarket market = new ReplayMarket(start, 1, Clock.fixed(start, ZoneOffset.UTC), Map.of("BTC", "market/missing_btc_4h.csv"));
    try (LogCapture logs = new LogCapture()) {
      assertThat(market.bars("BTC/USD", "4h", start.minusSeconds(86_400), start)).isEmpty();
      assertThat(market.bars("BTC/USD", "4h", start.minusSeconds(86_400), start)).isEmpty();
      assertThat(logs.events().stream().filter(e -> e.getLevel() == Level.WARN && e.getLoggerName().equals(FileLoad.class.getName())))
          .singleElement().satisfies(e -> assertThat(e.getFormattedMessage()).contains("market/missing_btc_4h.csv"));
      assertThat(logs.errorsOrTraces()).isEmpty();
    }
  }
}
