package ai.zmarty.lens;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** Every model answer is checked against the ModelDecision schema, whatever the provider promised. */
class ModelDecisionSchemaTest {
  private static final ModelDecisionSchema schema = new ModelDecisionSchema();
  private static final String GOOD = """
      {"decision":"WAIT","confidence":0.6,"entry_plan":{"order_type":"limit","price":3010.5},"risk_plan":{"stop":2950,"targets":[3100,3200]},"size_pct":0,"reasons":["RSI 74"]}""";

  private static String invalidReason(String answer) {
    ModelDecisionSchema.Parsed parsed = schema.parse(answer);
    assertThat(parsed).isInstanceOf(ModelDecisionSchema.Invalid.class);
    return ((ModelDecisionSchema.Invalid) parsed).reason();
  }

  @Test
  void aMatchingAnswerIsADecision() {
    ModelDecisionSchema.Parsed parsed = schema.parse(GOOD);
    assertThat(parsed).isInstanceOf(ModelDecisionSchema.Valid.class);
    ModelDecision d = ((ModelDecisionSchema.Valid) parsed).decision();
    assertThat(d.decision()).isEqualTo("WAIT");
    assertThat(d.confidence()).isEqualTo(0.6);
    assertThat(d.riskPlan().getJsonArray("targets")).containsExactly(3100, 3200);
    assertThat(d.reasons()).containsExactly("RSI 74");
  }

  @Test
  void aCodeFenceAroundTheJsonIsTolerated() {
    assertThat(schema.parse("```json\n" + GOOD + "\n```")).isInstanceOf(ModelDecisionSchema.Valid.class);
  }

  @Test
  void proseIsNotJson() {
    assertThat(invalidReason("I would buy here.")).startsWith("not a JSON object");
    assertThat(invalidReason("  ")).isEqualTo("empty answer");
    assertThat(invalidReason("{\"decision\":\"ENTER\",")).startsWith("not a JSON object"); // truncated at max tokens
  }

  @Test
  void eachBrokenRuleIsNamed() {
    JsonObject good = new JsonObject(GOOD);
    assertThat(invalidReason(good.copy().put("decision", "BUY").encode())).contains("decision: ");
    assertThat(invalidReason(good.copy().put("confidence", 1.5).encode())).contains("confidence: ");
    assertThat(invalidReason(withoutKey(good, "risk_plan"))).isEqualTo("does not match the ModelDecision schema: risk_plan is required");
    assertThat(invalidReason(good.copy().put("mood", "bullish").encode())).isEqualTo("does not match the ModelDecision schema: mood is not a known field");
    assertThat(invalidReason(good.copy().put("entry_plan", new JsonObject().put("order_type", "stop").put("price", 1)).encode())).contains("entry_plan.order_type: ");
  }

  private static String withoutKey(JsonObject json, String key) {
    JsonObject copy = json.copy();
    copy.remove(key);
    return copy.encode();
  }
}
