package ai.zmarty.contracts;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One compiled contract: validates a document and names each bad field once, in document order of
 * the errors. A subschema may carry {@code x-problem}: the sentence to give when its field breaks it
 * (a string for any failure, or an object keyword → sentence, {@code "*"} for the rest); otherwise
 * the sentence is the field and the validator's own words.
 */
public final class Schema {
  /** Keywords that only apply subschemas: their errors repeat the failures found beneath them. */
  private static final Set<String> APPLICATORS = Set.of("properties", "patternProperties", "$ref", "$dynamicRef", "allOf", "anyOf", "oneOf", "items", "prefixItems",
      "contains", "if", "then", "else", "dependentSchemas", "unevaluatedItems", "unevaluatedProperties", "propertyNames", "not");
  /** The missing property in the validator's words for {@code required} and for {@code dependentRequired}. */
  private static final Pattern MISSING = Pattern.compile("(?:required property|does not have) \"([^\"]+)\"");

  private final String name;
  private final Validator validator;
  /** Every file this schema uses (its own and those it refers to), by file name. */
  private final Map<String, JsonObject> files;

  Schema(String name, Validator validator, Map<String, JsonObject> files) {
    this.name = name;
    this.validator = validator;
    this.files = Map.copyOf(files);
  }

  public String name() {
    return name;
  }

  /** The schema's own file as JSON (a copy), for code that describes a field from its keywords or shows its examples. */
  public JsonObject document() {
    return files.get(name + ".json").copy();
  }

  /** The bad fields of {@code document} (a JsonObject, JsonArray, String, Number, Boolean or null); empty when it keeps the contract. */
  public List<FieldProblem> check(Object document) {
    OutputUnit out = validator.validate(document);
    if (Boolean.TRUE.equals(out.getValid())) {
      return List.of();
    }
    Map<String, FieldProblem> byField = new LinkedHashMap<>();
    List<OutputUnit> errors = out.getErrors() == null ? List.of(out) : out.getErrors();
    for (OutputUnit e : errors) {
      String keywordLocation = e.getKeywordLocation() == null ? "" : e.getKeywordLocation();
      String keyword = keywordLocation.substring(keywordLocation.lastIndexOf('/') + 1);
      if (APPLICATORS.contains(keyword)) {
        continue;
      }
      String field = pointer(e.getInstanceLocation());
      String[] subschema = subschema(e.getAbsoluteKeywordLocation());
      if (keyword.equals("required") || keyword.equals("dependentRequired")) {
        Matcher m = MISSING.matcher(e.getError() == null ? "" : e.getError());
        String missing = m.find() ? m.group(1) : "";
        field = field + "/" + missing;
        if (subschema != null) {
          subschema = new String[] {subschema[0], subschema[1] + "/properties/" + missing};
        }
      }
      if (!byField.containsKey(field)) {
        byField.put(field, new FieldProblem(field, sentence(field, keyword.equals("dependentRequired") ? "required" : keyword, e.getError(), subschema)));
      }
    }
    if (byField.isEmpty()) {
      byField.put("", new FieldProblem("", "the document does not match " + name + ": " + out.getError()));
    }
    return List.copyOf(byField.values());
  }

  /** The problems as one message, e.g. for a dead-letter reason or the {@code message} of a 400. */
  public static String summary(List<FieldProblem> problems) {
    return String.join("; ", problems.stream().map(FieldProblem::problem).toList());
  }

  public static JsonArray toJson(List<FieldProblem> problems) {
    JsonArray out = new JsonArray();
    problems.forEach(p -> out.add(p.toJson()));
    return out;
  }

  private String sentence(String field, String keyword, String error, String[] subschema) {
    Object custom = subschema == null ? null : at(subschema[0], subschema[1] + "/x-problem");
    if (custom instanceof String s) {
      return s;
    }
    if (custom instanceof JsonObject byKeyword) {
      Object s = byKeyword.getValue(keyword, byKeyword.getValue("*"));
      if (s instanceof String text) {
        return text;
      }
    }
    String label = field.isEmpty() ? "the body" : field.substring(1).replace('/', '.');
    return switch (keyword) {
      case "required" -> label + " is required";
      case "additionalProperties" -> label + " is not a known field";
      default -> label + ": " + (error == null ? keyword + " not met" : error);
    };
  }

  /** {@code #/a/b} → {@code /a/b}; {@code #} → empty. */
  private static String pointer(String instanceLocation) {
    if (instanceLocation == null || instanceLocation.equals("#")) {
      return "";
    }
    return instanceLocation.startsWith("#") ? instanceLocation.substring(1) : instanceLocation;
  }

  /**
   * The file and JSON pointer of the subschema holding the failed keyword, from an absolute keyword
   * location such as {@code https://…/contracts/http.symbols.add.request.json#/properties/symbol/pattern}.
   */
  private static String[] subschema(String absolute) {
    if (absolute == null) {
      return null;
    }
    int json = absolute.indexOf(".json");
    if (json < 0) {
      return null;
    }
    String file = absolute.substring(absolute.lastIndexOf('/', json) + 1, json + 5);
    String rest = absolute.substring(json + 5);
    if (rest.startsWith("#")) {
      rest = rest.substring(1);
    }
    int last = rest.lastIndexOf('/');
    return new String[] {file, last <= 0 ? "" : rest.substring(0, last)};
  }

  private Object at(String file, String pointer) {
    Object node = files.get(file);
    for (String part : pointer.split("/")) {
      if (part.isEmpty()) {
        continue;
      }
      String key = part.replace("~1", "/").replace("~0", "~");
      if (node instanceof JsonObject o) {
        node = o.getValue(key);
      } else if (node instanceof JsonArray a && key.chars().allMatch(Character::isDigit)) {
        int i = Integer.parseInt(key);
        node = i < a.size() ? a.getValue(i) : null;
      } else {
        return null;
      }
    }
    return node;
  }
}
