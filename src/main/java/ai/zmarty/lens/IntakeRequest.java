package ai.zmarty.lens;

import ai.zmarty.contracts.Contracts;
import ai.zmarty.contracts.FieldProblem;
import ai.zmarty.contracts.Schema;
import ai.zmarty.market.Symbols;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
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

/**
 * A signal body checked against its contract ({@code docs/contracts/}{@value #SCHEMA}{@code .json},
 * loaded from the jar by {@link Contracts}) and then for what a schema cannot say (a symbol form the
 * project reads, a real ISO-8601 instant). Every bad field is named with what it must be. A valid body becomes a {@link Signal} with the symbol in canonical
 * form, the default feature profile filled in and a hash of its meaning for idempotency.
 */
public final class IntakeRequest {
  /** The contract's name under {@code docs/contracts/}. */
  public static final String SCHEMA = "http.lens.signal.request";
  private static final Schema CONTRACT = Contracts.bundled().schema(SCHEMA);
  private static final JsonObject SCHEMA_JSON = CONTRACT.document();

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
    JsonObject properties = SCHEMA_JSON.getJsonObject("properties");
    for (String field : body.fieldNames()) {
      if (!properties.containsKey(field)) {
        problems.put(field, describe(field, false));
      }
    }
    List<FieldProblem> broken = CONTRACT.check(body);
    for (FieldProblem p : broken) {
      String field = topField(p.field());
      if (!field.isEmpty()) {
        problems.putIfAbsent(field, describe(field, !body.containsKey(field)));
      }
    }
    if (problems.isEmpty() && !broken.isEmpty()) {
      problems.put("body", "does not match " + SCHEMA + ": " + Schema.summary(broken));
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

  /** {@code /size} or {@code /size/x} → {@code size}; the body itself → empty. */
  private static String topField(String pointer) {
    String at = pointer.startsWith("/") ? pointer.substring(1) : pointer;
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

  /** The schema's example bodies (documentation and tests). */
  public static JsonArray examples() {
    return SCHEMA_JSON.getJsonArray("examples").copy();
  }
}
