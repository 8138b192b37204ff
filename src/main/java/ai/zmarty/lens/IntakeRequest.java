package ai.zmarty.lens;

import ai.zmarty.market.Symbols;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A signal body checked against its JSON Schema ({@value #SCHEMA}, draft 2020-12) and then for what
 * a schema cannot say (a symbol form the project reads, a real ISO-8601 instant). Every bad field is
 * named with what it must be. A valid body becomes a {@link Signal} with the symbol in canonical
 * form, the default feature profile filled in and a hash of its meaning for idempotency.
 */
public final class IntakeRequest {
  public static final String SCHEMA = "contracts/lens-signal-request.schema.json";
  private static final JsonObject SCHEMA_JSON = load();
  private static final Validator VALIDATOR = Validator.create(
      JsonSchema.of(SCHEMA_JSON), new JsonSchemaOptions().setDraft(Draft.DRAFT202012).setBaseUri("https://zmarty.ai/").setOutputFormat(OutputFormat.Basic));
  private static final Pattern QUOTED = Pattern.compile("\"([^\"]*)\"|'([^']*)'");

  private IntakeRequest() {}

  /** An accepted signal, normalised. {@code size}, {@code liquidationPrice}, {@code idempotencyKey} may be null. */
  public record Signal(
      String eventType, String symbol, String direction, double entryPrice, Double size, Double liquidationPrice, OffsetDateTime tsUtc, String source,
      String featureProfile, String idempotencyKey, JsonObject body, String bodyHash) {}

  /** Either a signal or the problems, field by field (in the schema's order). */
  public record Checked(Optional<Signal> signal, Map<String, String> problems) {
    static Checked bad(Map<String, String> problems) {
      return new Checked(Optional.empty(), problems);
    }

    /** {@code field: problem; field: problem} */
    public String message() {
      StringBuilder b = new StringBuilder("invalid signal: ");
      problems.forEach((f, p) -> b.append(f).append(": ").append(p).append("; "));
      return b.substring(0, b.length() - 2);
    }
  }

  public static Checked check(JsonObject body, String defaultProfile) {
    Map<String, String> problems = new TreeMap<>(IntakeRequest::schemaOrder);
    OutputUnit out = VALIDATOR.validate(body);
    if (!Boolean.TRUE.equals(out.getValid())) {
      List<OutputUnit> errors = out.getErrors() == null || out.getErrors().isEmpty() ? List.of(out) : out.getErrors();
      for (OutputUnit e : errors) {
        String field = field(e);
        if (!field.isEmpty()) {
          problems.putIfAbsent(field, describe(field, !body.containsKey(field)));
        }
      }
      if (problems.isEmpty()) {
        problems.put("body", "does not match " + SCHEMA);
      }
    }
    String symbol = null;
    if (!problems.containsKey("symbol") && body.getValue("symbol") instanceof String s) {
      try {
        symbol = Symbols.canonical(s);
      } catch (IllegalArgumentException e) {
        problems.put("symbol", e.getMessage());
      }
    }
    OffsetDateTime ts = null;
    if (!problems.containsKey("ts_utc") && body.getValue("ts_utc") instanceof String t) {
      try {
        ts = OffsetDateTime.parse(t);
      } catch (DateTimeParseException e) {
        problems.put("ts_utc", describe("ts_utc", false));
      }
    }
    if (!problems.isEmpty()) {
      return Checked.bad(problems);
    }
    String profile = body.getString("feature_profile", defaultProfile);
    Signal signal = new Signal(
        body.getString("event_type"), symbol, body.getString("signal_direction"), body.getNumber("entry_price").doubleValue(), number(body, "size"),
        number(body, "liquidation_price"), ts, body.getString("source"), profile, body.getString("idempotency_key"), body,
        hash(body, symbol, ts.toInstant(), profile));
    return new Checked(Optional.of(signal), Map.of());
  }

  /** What a field must be, read from the schema (type, allowed values, bounds, pattern). */
  static String describe(String field, boolean missing) {
    JsonObject p = SCHEMA_JSON.getJsonObject("properties").getJsonObject(field);
    if (p == null) {
      return "is not a field of a signal (fields: " + String.join(", ", SCHEMA_JSON.getJsonObject("properties").fieldNames()) + ")";
    }
    StringBuilder b = new StringBuilder(missing ? "is required and " : "");
    if (p.containsKey("enum")) {
      b.append("must be one of ").append(String.join(", ", p.getJsonArray("enum").stream().map(String::valueOf).toList()));
    } else if ("number".equals(p.getString("type"))) {
      b.append("must be a number greater than ").append(plain(p.getNumber("exclusiveMinimum")));
      if (p.containsKey("maximum")) {
        b.append(" and at most ").append(plain(p.getNumber("maximum")));
      }
    } else if ("date-time".equals(p.getString("format"))) {
      b.append("must be an ISO-8601 date-time with an offset, e.g. 2026-11-30T12:00:00Z");
    } else {
      b.append("must be a string");
      if (p.containsKey("pattern")) {
        b.append(" matching ").append(p.getString("pattern"));
      } else if (p.containsKey("maxLength")) {
        b.append(" of ").append(p.getInteger("minLength", 0)).append(" to ").append(p.getInteger("maxLength")).append(" characters");
      }
    }
    return b.toString();
  }

  /** The field an error is about: the missing or extra property named in the message, else the instance location. */
  private static String field(OutputUnit e) {
    String keyword = e.getKeywordLocation() == null ? "" : e.getKeywordLocation();
    String at = e.getInstanceLocation() == null ? "" : e.getInstanceLocation().replaceFirst("^#?/?", "");
    if ((keyword.endsWith("required") || keyword.contains("additionalProperties")) && at.isEmpty() && e.getError() != null) {
      Matcher m = QUOTED.matcher(e.getError());
      if (m.find()) {
        return m.group(1) != null ? m.group(1) : m.group(2);
      }
    }
    int slash = at.indexOf('/');
    return slash < 0 ? at : at.substring(0, slash);
  }

  private static int schemaOrder(String a, String b) {
    List<String> order = List.copyOf(SCHEMA_JSON.getJsonObject("properties").fieldNames());
    int ia = order.indexOf(a) < 0 ? Integer.MAX_VALUE : order.indexOf(a);
    int ib = order.indexOf(b) < 0 ? Integer.MAX_VALUE : order.indexOf(b);
    return ia != ib ? Integer.compare(ia, ib) : a.compareTo(b);
  }

  private static Double number(JsonObject body, String field) {
    Number n = body.getNumber(field);
    return n == null ? null : n.doubleValue();
  }

  private static String plain(Number n) {
    return new BigDecimal(n.toString()).stripTrailingZeros().toPlainString();
  }

  /** SHA-256 of what the signal means (canonical symbol and instant, default profile filled in), so reformatting is not a different body. */
  static String hash(JsonObject body, String symbol, Instant ts, String profile) {
    Map<String, Object> meaning = new LinkedHashMap<>();
    meaning.put("event_type", body.getString("event_type"));
    meaning.put("symbol", symbol);
    meaning.put("signal_direction", body.getString("signal_direction"));
    for (String f : new String[] {"entry_price", "size", "liquidation_price"}) {
      Number n = body.getNumber(f);
      meaning.put(f, n == null ? null : plain(n));
    }
    meaning.put("ts_utc", ts.toString());
    meaning.put("source", body.getString("source"));
    meaning.put("feature_profile", profile);
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(new JsonObject(meaning).encode().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  private static JsonObject load() {
    try (InputStream in = IntakeRequest.class.getClassLoader().getResourceAsStream(SCHEMA)) {
      if (in == null) {
        throw new IllegalStateException(SCHEMA + " is missing from the jar");
      }
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The schema's example bodies (documentation and tests). */
  public static JsonArray examples() {
    return SCHEMA_JSON.getJsonArray("examples").copy();
  }
}
