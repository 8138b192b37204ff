package ai.zmarty.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class JsonTextTest {

  @Test
  void namesTheFieldHoldingANul() {
    assertThat(JsonText.firstUnstorable(new JsonObject().put("user_id", "u").put("reason", "refund\u0000#1"))).contains("reason");
  }

  @Test
  void walksNestedObjectsAndArraysAndKeys() {
    JsonObject body = new JsonObject().put("record", new JsonObject().put("items", new JsonArray().add("ok").add(new JsonObject().put("name", "a\u0000"))));
    assertThat(JsonText.firstUnstorable(body)).contains("record.items[1].name");
    assertThat(JsonText.firstUnstorable(new JsonObject().put("k\u0000", 1))).contains("k\u0000 (its name)");
  }

  @Test
  void refusesLoneSurrogatesButKeepsPairs() {
    assertThat(JsonText.storable("emoji \uD83D\uDCA9 is fine")).isTrue();
    assertThat(JsonText.storable("lone \uD800 high")).isFalse();
    assertThat(JsonText.storable("lone \uDC00 low")).isFalse();
    assertThat(JsonText.storable("ends high \uD800")).isFalse();
  }

  @Test
  void ordinaryBodiesPass() {
    assertThat(JsonText.firstUnstorable(new JsonObject().put("message", "What's the signal for BTC? ünïcödé").put("amount", 5).putNull("x"))).isEmpty();
  }
}
