package ai.zmarty.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SymbolsTest {

  @Test
  void everyFormOfBitcoinIsTheSamePair() {
    for (String s : new String[] {"BTC/USDT", "btc/usdt", " BTC-USDT ", "BTC_USDT", "BTC:USDT", "BTCUSDT", "BTC", "BTC-PERP"}) {
      assertThat(Symbols.canonical(s)).as(s).isEqualTo("BTC/USDT");
      assertThat(Symbols.hyperliquidCoin(s)).as(s).isEqualTo("BTC");
      assertThat(Symbols.binanceSymbol(s)).as(s).isEqualTo("BTCUSDT");
    }
  }

  @Test
  void exchangeFormsMapBackToTheCanonicalPair() {
    assertThat(Symbols.fromHyperliquid("ETH")).isEqualTo("ETH/USDT");
    assertThat(Symbols.fromBinance("SOLUSDC")).isEqualTo("SOL/USDC");
    assertThat(Symbols.fromBinance("ETHUSDT")).isEqualTo("ETH/USDT");
  }

  @Test
  void theLongestQuoteWins() {
    assertThat(Symbols.parse("BTCUSDT")).isEqualTo(new Symbols.Parsed("BTC", "USDT"));
    assertThat(Symbols.parse("BTCUSD")).isEqualTo(new Symbols.Parsed("BTC", "USD"));
    assertThat(Symbols.parse("BTCFDUSD")).isEqualTo(new Symbols.Parsed("BTC", "FDUSD"));
  }

  @Test
  void coinsEndingInACryptoTickerAreNotSplit() {
    assertThat(Symbols.canonical("WBTC")).isEqualTo("WBTC/USDT");
    assertThat(Symbols.canonical("ETH/BTC")).isEqualTo("ETH/BTC");
    assertThat(Symbols.binanceSymbol("ETH/BTC")).isEqualTo("ETHBTC");
  }

  @Test
  void usdQuotedPairsShareTheHyperliquidCoin() {
    assertThat(Symbols.hyperliquidCoin("BTC/USD")).isEqualTo("BTC");
    assertThat(Symbols.hyperliquidCoin("BTC/USDC")).isEqualTo("BTC");
  }

  @Test
  void aPairQuotedInACoinHasNoHyperliquidCoin() {
    assertThatThrownBy(() -> Symbols.hyperliquidCoin("ETH/BTC")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Hyperliquid quotes every coin in USD");
  }

  @Test
  void unknownFormsAreRefusedWithTheAcceptedOnes() {
    for (String s : new String[] {"BTC/USDT/X", "BTC/", "/USDT", "BTC USDT", "₿", "A".repeat(16)}) {
      assertThatThrownBy(() -> Symbols.parse(s)).as(s).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected BTC/USDT, BTCUSDT, BTC-PERP or BTC");
    }
    assertThatThrownBy(() -> Symbols.parse(" ")).hasMessageContaining("symbol is missing");
    assertThatThrownBy(() -> Symbols.parse(null)).hasMessageContaining("symbol is missing");
    assertThatThrownBy(() -> Symbols.parse("USDT/USDT")).hasMessageContaining("in itself");
    assertThatThrownBy(() -> Symbols.fromBinance("BTCXYZ")).hasMessageContaining("not a Binance symbol like BTCUSDT");
  }
}
