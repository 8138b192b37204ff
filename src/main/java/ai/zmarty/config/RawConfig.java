package ai.zmarty.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The flat key/value configuration: defaults from {@code conf/application.yaml}, each overridden by
 * the environment variable of the same name. Typed getters fail with a {@link ConfigException}
 * that names the key.
 */
public final class RawConfig {
  public static final String DEFAULTS = "conf/application.yaml";
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  private final Map<String, String> values;

  private RawConfig(Map<String, String> values) {
    this.values = Collections.unmodifiableMap(values);
  }

  /**
   * Settings that were removed and replaced by others: a deployment still setting one would
   * silently get the replacement's default, so start-up refuses it, naming the replacement.
   */
  static final Map<String, String> RETIRED = Map.of(
      "SCHEDULER_INGEST_EVERY", "SCHEDULER_INGEST_CRON, a cron expression in UTC (every 5 minutes: '*/5 * * * *')",
      "SCHEDULER_WINRATE_EVERY", "SCHEDULER_WINRATE_CRON, a cron expression in UTC (hourly: '0 * * * *')");
  private static final Pattern RETIRED_SCHEDULE = Pattern.compile("SCHEDULER_[A-Z0-9_]+_EVERY");

  /**
   * Defaults overridden by {@code env}; keys the defaults do not know are ignored, except retired
   * ones ({@link #RETIRED}, any {@code SCHEDULER_*_EVERY}), which fail with the replacement's name.
   */
  public static RawConfig load(Map<String, String> env) {
    refuseRetired(env);
    Map<String, String> values = readDefaults();
    for (String key : values.keySet()) {
      String override = env.get(key);
      if (override != null) {
        values.put(key, override.trim());
      }
    }
    return new RawConfig(values);
  }

  private static void refuseRetired(Map<String, String> env) {
    for (String key : new java.util.TreeSet<>(env.keySet())) {
      if (env.get(key) == null || env.get(key).isBlank()) {
        continue; // set to nothing: no value is lost
      }
      String replacement = RETIRED.get(key);
      if (replacement != null) {
        throw new ConfigException(key, "was removed; set " + replacement + " instead, and unset " + key);
      }
      if (RETIRED_SCHEDULE.matcher(key).matches()) {
        throw new ConfigException(key, "was removed: schedules are cron expressions now (SCHEDULER_INGEST_CRON, SCHEDULER_WINRATE_CRON, NIGHTLY_CRON with NIGHTLY_TZ); unset " + key);
      }
    }
  }

  public static RawConfig fromSystemEnvironment() {
    return load(System.getenv());
  }

  /** A copy with some keys replaced (tests and CLI options). */
  public RawConfig with(Map<String, String> overrides) {
    Map<String, String> copy = new LinkedHashMap<>(values);
    overrides.forEach(
        (k, v) -> {
          if (!copy.containsKey(k)) {
            throw new ConfigException(k, "is not a known setting");
          }
          copy.put(k, v);
        });
    return new RawConfig(copy);
  }

  public Map<String, String> asMap() {
    return values;
  }

  static Map<String, String> readDefaults() {
    try (InputStream in = RawConfig.class.getClassLoader().getResourceAsStream(DEFAULTS)) {
      if (in == null) {
        throw new IllegalStateException(DEFAULTS + " is missing from the classpath");
      }
      JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(in);
      Map<String, String> values = new LinkedHashMap<>();
      root.fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asText().trim()));
      return values;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + DEFAULTS, e);
    }
  }

  public String string(String key) {
    String v = values.get(key);
    if (v == null) {
      throw new ConfigException(key, "is not a known setting");
    }
    return v;
  }

  public Optional<String> optional(String key) {
    String v = string(key);
    return v.isEmpty() ? Optional.empty() : Optional.of(v);
  }

  public String required(String key) {
    return optional(key).orElseThrow(() -> new ConfigException(key, "must not be empty"));
  }

  public int integer(String key, int min, int max) {
    String v = string(key);
    try {
      int n = Integer.parseInt(v);
      if (n < min || n > max) {
        throw new ConfigException(key, "must be from " + min + " to " + max + ", got " + n);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new ConfigException(key, "must be a whole number from " + min + " to " + max + ", got '" + v + "'");
    }
  }

  /** Durations like {@code 250ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 7d}. */
  public Duration duration(String key, Duration min, Duration max) {
    String v = string(key);
    Duration d = parseDuration(v).orElseThrow(() -> new ConfigException(key, "must be a duration like 500ms, 30s, 5m, 1h or 7d, got '" + v + "'"));
    if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
      throw new ConfigException(key, "must be from " + format(min) + " to " + format(max) + ", got " + v);
    }
    return d;
  }

  /** {@code true} or {@code false}. */
  public boolean bool(String key) {
    String v = string(key).toLowerCase(Locale.ROOT);
    if (!v.equals("true") && !v.equals("false")) {
      throw new ConfigException(key, "must be true or false, got '" + string(key) + "'");
    }
    return v.equals("true");
  }

  public List<String> list(String key) {
    List<String> out = new ArrayList<>();
    for (String part : string(key).split(",")) {
      if (!part.isBlank()) {
        out.add(part.trim());
      }
    }
    return List.copyOf(out);
  }

  public <E extends Enum<E>> E choice(String key, Class<E> type) {
    String v = string(key);
    try {
      return Enum.valueOf(type, v.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(key, "must be one of " + Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT)).toList() + ", got '" + v + "'");
    }
  }

  public static Optional<Duration> parseDuration(String text) {
    Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      return Optional.empty();
    }
    long n = Long.parseLong(m.group(1));
    return Optional.of(
        switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(n);
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          default -> Duration.ofDays(n);
        });
  }

  static String format(Duration d) {
    if (d.toMillis() % 1000 != 0) {
      return d.toMillis() + "ms";
    }
    return d.toSeconds() + "s";
  }
}
