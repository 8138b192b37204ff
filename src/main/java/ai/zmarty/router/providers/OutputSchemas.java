package ai.zmarty.router.providers;

import ai.zmarty.router.ModelProvider.Output;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Set;

/**
 * A structured answer's schema in each provider's request: OpenAI and xAI take the JSON Schema
 * itself ({@code response_format: json_schema}, strict), Anthropic as a tool's {@code
 * input_schema}, Gemini in its OpenAPI subset ({@code type} upper-case, {@code nullable} instead
 * of a null type, no {@code additionalProperties}).
 */
public final class OutputSchemas {
  /** Keywords of the schema document, not of its shape: no provider wants them. */
  private static final Set<String> DOCUMENT_KEYS = Set.of("$schema", "$id", "$comment", "title", "examples");
  /** What Gemini's responseSchema knows; anything else is dropped (it rejects unknown fields). */
  private static final Set<String> GEMINI_KEYS = Set.of("type", "format", "description", "nullable", "enum", "properties", "required", "items", "minimum", "maximum", "minItems", "maxItems", "propertyOrdering");

  private OutputSchemas() {}

  /** The schema without its document keywords (the shape OpenAI strict mode and Anthropic tools take). */
  public static JsonObject shape(Output output) {
    JsonObject copy = output.schema().copy();
    DOCUMENT_KEYS.forEach(copy::remove);
    return copy;
  }

  /** {@code response_format} of an OpenAI-compatible request. */
  static JsonObject openAiResponseFormat(Output output) {
    return new JsonObject().put("type", "json_schema").put("json_schema", new JsonObject().put("name", output.name()).put("description", output.description()).put("strict", true).put("schema", shape(output)));
  }

  /** The one tool an Anthropic request declares, whose input is the answer. */
  static JsonObject anthropicTool(Output output) {
    return new JsonObject().put("name", output.name()).put("description", output.description()).put("input_schema", shape(output));
  }

  /** Gemini's {@code responseSchema}: the same shape in its OpenAPI subset. */
  public static JsonObject gemini(Output output) {
    return geminiNode(shape(output));
  }

  private static JsonObject geminiNode(JsonObject node) {
    JsonObject out = new JsonObject();
    Object type = node.getValue("type");
    if (type instanceof JsonArray types) {
      // ["number", "null"] → NUMBER, nullable
      for (Object t : types) {
        if ("null".equals(t)) {
          out.put("nullable", true);
        } else {
          out.put("type", t.toString().toUpperCase(Locale.ROOT));
        }
      }
    } else if (type instanceof String t) {
      out.put("type", t.toUpperCase(Locale.ROOT));
    }
    for (String key : node.fieldNames()) {
      if (key.equals("type") || !GEMINI_KEYS.contains(key)) {
        continue;
      }
      Object value = node.getValue(key);
      if (key.equals("properties") && value instanceof JsonObject props) {
        JsonObject converted = new JsonObject();
        props.forEach(e -> converted.put(e.getKey(), geminiNode((JsonObject) e.getValue())));
        out.put("properties", converted).put("propertyOrdering", new JsonArray(props.fieldNames().stream().toList()));
      } else if (key.equals("items") && value instanceof JsonObject items) {
        out.put("items", geminiNode(items));
      } else {
        out.put(key, value);
      }
    }
    return out;
  }
}
