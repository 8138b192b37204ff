package ai.zmarty.router;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.market.Pair;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class OfflineAnswerTest {
  private static final Pair BTC = Pair.of("BTC/USDT", "1h");
  private static final Pair ETH = Pair.of("ETH/USDT", "1h");

  private static JsonObject signal(Pair p, String direction, double score) {
    return new JsonObject().put("symbol", p.symbol()).put("timeframe", p.timeframeLabel()).put("direction", direction).put("score", score)
        .put("entry", 61234.5).put("stop", 60100.0).put("targets", new JsonArray().add(62000.0).add(63000.0)).put("bar_time", "2026-11-21T22:00:00Z");
  }

  @Test
  void answersAboutTheSymbolTheQuestionNames() {
    ChatContext ctx = new ChatContext(List.of(BTC, ETH), List.of(signal(BTC, "long", 0.72), signal(ETH, "short", 0.61)),
        List.of(new JsonObject().put("symbol", "BTC/USDT").put("timeframe", "1h").put("window", "all").put("win_rate", 0.5833).put("sample_size", 24)));
    String answer = OfflineAnswer.compose(ctx, "What's the signal for BTC?");
    assertThat(answer).contains("BTC/USDT on 1h").contains("LONG with score 0.72").contains("61,234.50").contains("58.3% over 24").doesNotContain("ETH/USDT");
    assertThat(answer).startsWith("Offline analyst");
  }

  @Test
  void namesTheWindowOfEachWinRate() {
    ChatContext ctx = new ChatContext(List.of(BTC), List.of(signal(BTC, "long", 0.72)),
        List.of(new JsonObject().put("symbol", "BTC/USDT").put("timeframe", "1h").put("window", "all").put("win_rate", 0.5).put("sample_size", 40),
            new JsonObject().put("symbol", "BTC/USDT").put("timeframe", "1h").put("window", "30d").put("win_rate", 0.6).put("sample_size", 10),
            new JsonObject().put("symbol", "BTC/USDT").put("timeframe", "1h").put("window", "7d").put("sample_size", 0)));
    assertThat(OfflineAnswer.compose(ctx, "BTC?"))
        .contains("Win rate (all time): 50.0% over 40 resolved signals.", "Win rate (last 30 days): 60.0% over 10 resolved signals.", "No resolved signals (last 7 days) yet");
  }

  @Test
  void coversEveryPairWhenNoneIsNamed() {
    ChatContext ctx = new ChatContext(List.of(BTC, ETH), List.of(signal(BTC, "long", 0.72)), List.of());
    String answer = OfflineAnswer.compose(ctx, "how is my watchlist?");
    assertThat(answer).contains("BTC/USDT").contains("ETH/USDT on 1h: no signal yet");
  }

  @Test
  void isDeterministic() {
    ChatContext ctx = new ChatContext(List.of(BTC), List.of(signal(BTC, "flat", 0.4)), List.of());
    assertThat(OfflineAnswer.compose(ctx, "BTC?")).isEqualTo(OfflineAnswer.compose(ctx, "BTC?"));
  }

  @Test
  void splitsIntoWordsThatJoinBackExactly() {
    String text = "one two  three";
    assertThat(String.join("", OfflineAnalyst.pieces(text))).isEqualTo(text);
  }
}
