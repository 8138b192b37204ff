package ai.zmarty.lens;

import ai.zmarty.market.Symbols;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The query parameters of the lens audit routes, checked: every unknown parameter and every bad
 * value is named in one 400. Pure (a map of parameters in, filters or problems out).
 */
public final class EventQueryFilters {
  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 200;
  static final List<String> STATUSES = List.of("queued", "rejected", "enriched", "evaluated", "published", "failed");
  static final List<String> DECISIONS = List.of("ENTER", "WAIT", "IGNORE");
  static final List<String> STAGES = List.of("enrich", "evaluate");
  private static final Pattern MODEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");

  private EventQueryFilters() {}

  public record Events(String status, String symbol, String source, OffsetDateTime since, OffsetDateTime until, EventQueryCursor cursor, int limit) {}

  public record Decisions(String model, String symbol, String decision, OffsetDateTime since, EventQueryCursor cursor, int limit) {}

  public record DeadLetters(String stage, Boolean resolved, EventQueryCursor cursor, int limit) {}

  /** Filters, or the problems by parameter. */
  public record Parsed<T>(T filters, Map<String, String> problems) {
    public boolean ok() {
      return problems.isEmpty();
    }

    public String message() {
      StringBuilder b = new StringBuilder("bad query: ");
      problems.forEach((k, v) -> b.append(k).append(": ").append(v).append("; "));
      return b.substring(0, b.length() - 2);
    }
  }

  public static Parsed<Events> events(Map<String, String> q) {
    Reader r = new Reader(q, Set.of("status", "symbol", "source", "since", "until", "cursor", "limit"));
    Events f = new Events(r.oneOf("status", STATUSES), r.symbol(), r.matching("source", SourceKeys.NAME, "a source name"), r.time("since"), r.time("until"),
        r.cursor(true), r.limit());
    if (f.since() != null && f.until() != null && !f.since().isBefore(f.until())) {
      r.problems.put("until", "must be later than since");
    }
    return new Parsed<>(f, r.problems);
  }

  public static Parsed<Decisions> decisions(Map<String, String> q) {
    Reader r = new Reader(q, Set.of("model", "symbol", "decision", "since", "cursor", "limit"));
    Decisions f = new Decisions(r.matching("model", MODEL, "a model name"), r.symbol(), r.oneOf("decision", DECISIONS), r.time("since"), r.cursor(true), r.limit());
    return new Parsed<>(f, r.problems);
  }

  public static Parsed<DeadLetters> deadLetters(Map<String, String> q) {
    Reader r = new Reader(q, Set.of("stage", "resolved", "cursor", "limit"));
    String resolved = r.oneOf("resolved", List.of("true", "false"));
    DeadLetters f = new DeadLetters(r.oneOf("stage", STAGES), resolved == null ? null : Boolean.valueOf(resolved), r.cursor(false), r.limit());
    return new Parsed<>(f, r.problems);
  }

  /** Reads parameters, noting each problem under its parameter's name. */
  private static final class Reader {
    private final Map<String, String> q;
    private final Map<String, String> problems = new LinkedHashMap<>();

    Reader(Map<String, String> q, Set<String> known) {
      this.q = q;
      q.keySet().stream().filter(k -> !known.contains(k)).sorted().forEach(k -> problems.put(k, "unknown parameter (known: " + String.join(", ", known.stream().sorted().toList()) + ")"));
    }

    private <T> T read(String name, Function<String, T> parse, String problem) {
      String v = q.get(name);
      if (v == null) {
        return null;
      }
      try {
        T t = parse.apply(v);
        if (t != null) {
          return t;
        }
      } catch (RuntimeException ignored) {
        // named below
      }
      problems.put(name, problem);
      return null;
    }

    String oneOf(String name, List<String> values) {
      return read(name, v -> values.contains(v) ? v : null, "must be one of " + String.join(", ", values));
    }

    String matching(String name, Pattern p, String what) {
      return read(name, v -> p.matcher(v).matches() ? v : null, "must be " + what + " matching " + p.pattern());
    }

    String symbol() {
      String v = q.get("symbol");
      if (v == null) {
        return null;
      }
      try {
        return Symbols.canonical(v);
      } catch (IllegalArgumentException e) {
        problems.put("symbol", e.getMessage());
        return null;
      }
    }

    OffsetDateTime time(String name) {
      return read(name, v -> {
        try {
          return OffsetDateTime.parse(v);
        } catch (DateTimeParseException e) {
          return null;
        }
      }, "must be an ISO-8601 date-time with an offset, e.g. 2026-11-30T12:00:00Z");
    }

    EventQueryCursor cursor(boolean uuidId) {
      return read("cursor", v -> EventQueryCursor.decode(v, uuidId).orElse(null), "is not a cursor this API handed out (use next_cursor of the previous page)");
    }

    int limit() {
      Integer n = read("limit", v -> {
        int i = Integer.parseInt(v);
        return i >= 1 && i <= MAX_LIMIT ? i : null;
      }, "must be a whole number from 1 to " + MAX_LIMIT);
      return n == null ? DEFAULT_LIMIT : n;
    }
  }
}
