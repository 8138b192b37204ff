package ai.zmarty.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.zmarty.sync.WatcherChange.InvalidPayload;
import ai.zmarty.sync.WatcherChange.Watch;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class WatcherChangeTest {
  private static final UUID EVENT = UUID.randomUUID();
  private static final UUID USER = UUID.randomUUID();

  private static JsonObject row(String symbol, String timeframe) {
    return new JsonObject().put("id", 7).put("user_id", USER.toString()).put("symbol", symbol).put("timeframe", timeframe).put("created_at", "2026-01-02T10:00:00+00:00");
  }

  private static JsonObject payload(String type, JsonObject record, JsonObject old) {
    return new JsonObject().put("event_id", EVENT.toString()).put("type", type).put("table", "user_symbols").put("schema", "public").put("record", record).put("old_record", old);
  }

  @Test
  void anInsertActivatesTheRecordsPair() {
    WatcherChange c = WatcherChange.fromPayload(payload("INSERT", row("BTC/USDT", "1h"), null));
    assertThat(c.eventId()).isEqualTo(EVENT);
    assertThat(c.activate()).contains(new Watch(USER, "BTC/USDT", "1h"));
    assertThat(c.deactivate()).isEmpty();
  }

  @Test
  void aDeleteDeactivatesTheOldRecordsPair() {
    WatcherChange c = WatcherChange.fromPayload(payload("DELETE", null, row("ETH/USDT", "4h")));
    assertThat(c.deactivate()).contains(new Watch(USER, "ETH/USDT", "4h"));
    assertThat(c.activate()).isEmpty();
  }

  @Test
  void anUpdateThatMovesThePairHandsOver() {
    WatcherChange c = WatcherChange.fromPayload(payload("UPDATE", row("BTC/USDT", "4h"), row("BTC/USDT", "1h")));
    assertThat(c.deactivate()).contains(new Watch(USER, "BTC/USDT", "1h"));
    assertThat(c.activate()).contains(new Watch(USER, "BTC/USDT", "4h"));
  }

  @Test
  void anUpdateThatKeepsThePairOnlyKeepsItActive() {
    WatcherChange c = WatcherChange.fromPayload(payload("UPDATE", row("BTC/USDT", "1h"), row("BTC/USDT", "1h")));
    assertThat(c.deactivate()).isEmpty();
    assertThat(c.activate()).contains(new Watch(USER, "BTC/USDT", "1h"));
  }

  @Test
  void malformedPayloadsNameTheirField() {
    assertThatThrownBy(() -> WatcherChange.fromPayload(payload("INSERT", row("BTC/USDT", "1h"), null).put("event_id", "x"))).isInstanceOf(InvalidPayload.class).hasMessageContaining("event_id");
    assertThatThrownBy(() -> WatcherChange.fromPayload(payload("TRUNCATE", null, null))).isInstanceOf(InvalidPayload.class).hasMessageContaining("type");
    assertThatThrownBy(() -> WatcherChange.fromPayload(payload("INSERT", null, null))).isInstanceOf(InvalidPayload.class).hasMessageContaining("record");
    assertThatThrownBy(() -> WatcherChange.fromPayload(payload("DELETE", row("BTC/USDT", "1h"), null))).isInstanceOf(InvalidPayload.class).hasMessageContaining("old_record");
    assertThatThrownBy(() -> WatcherChange.fromPayload(payload("INSERT", row("", "1h"), null))).isInstanceOf(InvalidPayload.class).hasMessageContaining("symbol");
    assertThatThrownBy(() -> WatcherChange.fromPayload(payload("INSERT", row("BTC/USDT", "1h"), null).put("table", "profiles"))).isInstanceOf(InvalidPayload.class).hasMessageContaining("user_symbols");
  }

  @Test
  void aRecordOutsideUserSymbolsFormIsRefusedByThePairParser() {
    assertThatThrownBy(() -> WatcherChange.fromPayload(payload("INSERT", row("BTCUSDT", "1h"), null))).isInstanceOf(InvalidPayload.class).hasMessageContaining("record: symbol must look like BASE/QUOTE");
    assertThatThrownBy(() -> WatcherChange.fromPayload(payload("DELETE", null, row("BTC/USDT", "7h")))).isInstanceOf(InvalidPayload.class).hasMessageContaining("old_record: timeframe must be one of");
    assertThat(WatcherChange.fromPayload(payload("INSERT", row("btc/usdt", "1h"), null)).activate()).contains(new Watch(USER, "BTC/USDT", "1h"));
  }
}
