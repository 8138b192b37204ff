package ai.zmarty.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The one pair type: a watched pair's rules, a job's rules, and the base asset from the one symbol parser. */
class PairTest {

  @Test
  void aWatchedPairIsExactlyBaseSlashQuoteUpperCased() {
    assertThat(Pair.watched(" sol/usdt ", "4h")).isEqualTo(new Pair("SOL/USDT", Timeframe.H4));
    assertThat(Pair.watched("BTC/USDT", null)).isEqualTo(new Pair("BTC/USDT", Timeframe.H1));
    assertThatThrownBy(() -> Pair.watched("BTCUSDT", "1h")).hasMessage("symbol must look like BASE/QUOTE, e.g. \"BTC/USDT\", got \"BTCUSDT\"");
    assertThatThrownBy(() -> Pair.watched("B/USDT", "1h")).hasMessageContaining("BASE/QUOTE");
    assertThatThrownBy(() -> Pair.watched("BTC/USDTUSDTUSDT", "1h")).hasMessageContaining("BASE/QUOTE");
    assertThatThrownBy(() -> Pair.watched(" ", "1h")).hasMessage("symbol is required, like \"BTC/USDT\"");
    assertThatThrownBy(() -> Pair.watched(null, "1h")).hasMessage("symbol is required, like \"BTC/USDT\"");
  }

  @Test
  void aWatchedPairsTimeframeIsAnExactLabel() {
    assertThatThrownBy(() -> Pair.watched("BTC/USDT", "1H")).hasMessage("timeframe must be one of 1m, 5m, 15m, 30m, 1h, 4h, 1d, got \"1H\"");
    assertThatThrownBy(() -> Pair.watched("BTC/USDT", "2h")).hasMessageContaining("got \"2h\"");
    assertThat(Pair.watched("BTC/USDT", " 1d ").timeframe()).isEqualTo(Timeframe.D1);
  }

  @Test
  void aJobsPairTakesOneOrTwoAssetsAndAnyTimeframeCase() {
    assertThat(Pair.of("btcusdt", "1H")).isEqualTo(new Pair("BTCUSDT", Timeframe.H1));
    assertThat(Pair.of("BTC-PERP", "4h").symbol()).isEqualTo("BTC-PERP");
    assertThatThrownBy(() -> Pair.of("A/B/C", "1h")).hasMessage("'A/B/C' is not a symbol like BTC/USDT");
    assertThatThrownBy(() -> Pair.of(null, "1h")).hasMessage("symbol is missing");
    assertThatThrownBy(() -> Pair.of("BTC/USDT", " ")).hasMessage("timeframe is missing");
    assertThatThrownBy(() -> Pair.of("BTC/USDT", "7h")).hasMessageContaining("unknown timeframe '7h'");
  }

  @Test
  void jsonRoundTripsAndRefusesNonStrings() {
    Pair p = new Pair("ETH/USDT", Timeframe.M15);
    assertThat(p.toJson()).isEqualTo(new JsonObject().put("symbol", "ETH/USDT").put("timeframe", "15m"));
    assertThat(Pair.fromJson(p.toJson())).isEqualTo(p);
    assertThatThrownBy(() -> Pair.fromJson(new JsonObject().put("symbol", 1).put("timeframe", "1h"))).hasMessage("symbol and timeframe must be strings");
    assertThatThrownBy(() -> Pair.fromJson(null)).hasMessage("payload is missing");
  }

  @Test
  void theBaseAssetComesFromTheSymbolParser() {
    assertThat(new Pair("BTC/USDT", Timeframe.H1).base()).isEqualTo("BTC");
    assertThat(new Pair("ETHFDUSD", Timeframe.H1).base()).isEqualTo("ETH");
    assertThat(new Pair("SOL-PERP", Timeframe.H1).base()).isEqualTo("SOL");
    assertThat(SimulatedMarket.basePrice("BTC-PERP")).isEqualTo(SimulatedMarket.basePrice("BTC/USDT")).isEqualTo(60_000.0);
  }
}
