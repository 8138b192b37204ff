package ai.zmarty.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SignalStreamIndexTest {
  @Test
  void aSignalReachesTheStreamsOfItsSymbolWhosePairOrSymbolFilterMatches() {
    SignalStreamIndex<String> index = new SignalStreamIndex<>();
    index.add("btc-1h", SignalStreamIndex.Filter.pairs(List.of(new SignalStreamIndex.Key("BTC/USDT", "1h"))));
    index.add("btc-all", SignalStreamIndex.Filter.symbols(List.of("BTC/USDT")));
    index.add("eth-and-btc4h", SignalStreamIndex.Filter.pairs(List.of(new SignalStreamIndex.Key("ETH/USDT", "1h"), new SignalStreamIndex.Key("BTC/USDT", "4h"))));

    assertThat(index.matching("BTC/USDT", "1h")).containsExactly("btc-1h", "btc-all");
    assertThat(index.matching("BTC/USDT", "4h")).containsExactly("btc-all", "eth-and-btc4h");
    assertThat(index.matching("ETH/USDT", "4h")).isEmpty();
    assertThat(index.matching("SOL/USDT", "1h")).isEmpty();
    assertThat(index.matching(null, "1h")).isEmpty();
  }

  @Test
  void aRemovedOrReplacedStreamIsForgottenEverywhere() {
    SignalStreamIndex<String> index = new SignalStreamIndex<>();
    index.add("a", SignalStreamIndex.Filter.symbols(List.of("BTC/USDT", "ETH/USDT")));
    index.add("a", SignalStreamIndex.Filter.symbols(List.of("SOL/USDT")));
    assertThat(index.matching("BTC/USDT", "1h")).isEmpty();
    assertThat(index.matching("SOL/USDT", "1h")).containsExactly("a");
    assertThat(index.size()).isEqualTo(1);
    index.remove("a");
    index.remove("a");
    assertThat(index.size()).isZero();
    assertThat(index.matching("SOL/USDT", "1h")).isEmpty();
  }

  @Test
  void symbolsAreCanonicalAndBounded() {
    assertThat(SignalStreams.symbols(null)).isNull();
    assertThat(SignalStreams.symbols("btcusdt, ETH-PERP,,")).containsExactly("BTC/USDT", "ETH/USDT");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> SignalStreams.symbols(" , ")).hasMessageContaining("1 to 50");
  }
}
