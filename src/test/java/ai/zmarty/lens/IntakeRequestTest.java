package ai.zmarty.lens;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class IntakeRequestTest {
  private static JsonObject good() {
    return IntakeRequest.examples().getJsonObject(0);
  }

  @Test
  void theSchemasExampleIsAcceptedAndNormalised() {
    IntakeRequest.Checked c = IntakeRequest.check(good().put("symbol", "btcusdt"), "trend_follow_v1");
    assertThat(c.problems()).isEmpty();
    IntakeRequest.Signal s = c.signal().orElseThrow();
    assertThat(s.symbol()).isEqualTo("BTC/USDT");
    assertThat(s.entryPrice()).isEqualTo(97250.5);
    assertThat(s.featureProfile()).isEqualTo("trend_follow_v1");
    assertThat(s.tsUtc().toInstant().toString()).isEqualTo("2026-11-30T00:00:00Z");
  }

  @Test
  void everyBadFieldIsNamedWithWhatItMustBe() {
    JsonObject body = good().put("event_type", "MAYBE").put("entry_price", -1).put("signal_direction", 3).put("color", "red").put("ts_utc", "yesterday");
    body.remove("source");
    IntakeRequest.Checked c = IntakeRequest.check(body, "trend_follow_v1");
    assertThat(c.signal()).isEmpty();
    assertThat(c.problems()).containsOnlyKeys("event_type", "signal_direction", "entry_price", "ts_utc", "source", "color");
    assertThat(c.problems().get("event_type")).isEqualTo("must be one of OPEN_SIGNAL, CLOSE_SIGNAL");
    assertThat(c.problems().get("source")).isEqualTo("is required and must be a string matching ^[a-z0-9][a-z0-9_-]{0,62}$");
    assertThat(c.problems().get("entry_price")).isEqualTo("must be a number greater than 0 and at most 1000000000000");
    assertThat(c.problems().get("color")).startsWith("is not a field of a signal");
    assertThat(c.message()).startsWith("invalid signal: event_type: ");
  }

  @Test
  void aSymbolTheProjectCannotReadIsRefusedInItsWords() {
    IntakeRequest.Checked c = IntakeRequest.check(good().put("symbol", "BTC/USDT/X"), "p");
    assertThat(c.problems()).containsOnlyKeys("symbol");
  }

  @Test
  void theSameMeaningHashesAlikeAndADifferentPriceDoesNot() {
    String a = IntakeRequest.check(good().put("symbol", "BTCUSDT").put("ts_utc", "2026-11-30T01:00:00+01:00"), "trend_follow_v1").signal().orElseThrow().bodyHash();
    String b = IntakeRequest.check(good().put("symbol", "BTC/USDT").put("ts_utc", "2026-11-30T00:00:00Z"), "trend_follow_v1").signal().orElseThrow().bodyHash();
    String c = IntakeRequest.check(good().put("entry_price", 97250.6), "trend_follow_v1").signal().orElseThrow().bodyHash();
    assertThat(a).isEqualTo(b).isNotEqualTo(c);
  }
}
