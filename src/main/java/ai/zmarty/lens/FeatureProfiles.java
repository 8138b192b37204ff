package ai.zmarty.lens;

import ai.zmarty.config.ConfigException;
import ai.zmarty.market.Timeframe;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The feature profiles of {@code conf/feature_profiles.yaml} (the classpath default, or the file
 * {@code LENS_PROFILES_FILE} names), resolved once at start: a profile's {@code extends} names its
 * parent, whose settings it inherits and may override. A cycle, an unknown parent, an unknown field
 * or a bad value stops the start with a {@link ConfigException} naming the file and the profile.
 */
public final class FeatureProfiles {
  public static final String KEY = "LENS_PROFILES_FILE";
  public static final String DEFAULT_RESOURCE = "conf/feature_profiles.yaml";
  static final Set<String> FIELDS = Set.of("extends", "timeframes", "ta", "derivatives", "orderbook", "levels");

  private final Map<String, FeatureProfile> byName;

  private FeatureProfiles(Map<String, FeatureProfile> byName) {
    this.byName = Map.copyOf(byName);
  }

  /** The classpath default when {@code file} is empty, else that file. */
  public static FeatureProfiles load(Optional<Path> file) {
    String where = file.map(Path::toString).orElse("classpath:" + DEFAULT_RESOURCE);
    try (InputStream in = file.isPresent() ? Files.newInputStream(file.get()) : FeatureProfiles.class.getClassLoader().getResourceAsStream(DEFAULT_RESOURCE)) {
      if (in == null) {
        throw new ConfigException(KEY, where + " is missing");
      }
      return parse(where, new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new ConfigException(KEY, where + " cannot be read: " + e.getMessage());
    }
  }

  /** Parses and resolves {@code yaml}; {@code where} names the file in every message. */
  public static FeatureProfiles parse(String where, String yaml) {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
    } catch (IOException e) {
      throw new ConfigException(KEY, where + " is not valid YAML: " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
    }
    JsonNode profiles = root == null ? null : root.get("profiles");
    if (profiles == null || !profiles.isObject() || profiles.isEmpty()) {
      throw new ConfigException(KEY, where + " must have a 'profiles' map with at least one profile");
    }
    Map<String, JsonNode> raw = new LinkedHashMap<>();
    profiles.fields().forEachRemaining(e -> raw.put(e.getKey(), e.getValue()));
    Map<String, FeatureProfile> resolved = new LinkedHashMap<>();
    for (String name : raw.keySet()) {
      resolved.put(name, resolve(where, name, raw));
    }
    return new FeatureProfiles(resolved);
  }

  /** The chain from {@code name} up to its root, each node's fields applied root first. */
  private static FeatureProfile resolve(String where, String name, Map<String, JsonNode> raw) {
    List<String> chain = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    String at = name;
    while (at != null) {
      if (!seen.add(at)) {
        throw problem(where, name, "its extends chain has a cycle: " + String.join(" -> ", seen) + " -> " + at);
      }
      JsonNode node = raw.get(at);
      if (node == null) {
        throw problem(where, chain.get(chain.size() - 1), "extends '" + at + "', which is not defined (profiles: " + String.join(", ", raw.keySet()) + ")");
      }
      if (!node.isObject()) {
        throw problem(where, at, "must be a map of settings");
      }
      for (var it = node.fieldNames(); it.hasNext(); ) {
        String field = it.next();
        if (!FIELDS.contains(field)) {
          throw problem(where, at, "has an unknown field '" + field + "' (known: extends, timeframes, ta, derivatives, orderbook, levels)");
        }
      }
      chain.add(at);
      JsonNode parent = node.get("extends");
      if (parent != null && !parent.isTextual()) {
        throw problem(where, at, "extends must be a profile name");
      }
      at = parent == null ? null : parent.asText();
    }
    List<Timeframe> timeframes = List.of();
    boolean ta = false, derivatives = false, orderbook = false, levels = false;
    for (int i = chain.size() - 1; i >= 0; i--) {
      String p = chain.get(i);
      JsonNode node = raw.get(p);
      if (node.has("timeframes")) {
        timeframes = timeframes(where, p, node.get("timeframes"));
      }
      ta = flag(where, p, node, "ta", ta);
      derivatives = flag(where, p, node, "derivatives", derivatives);
      orderbook = flag(where, p, node, "orderbook", orderbook);
      levels = flag(where, p, node, "levels", levels);
    }
    if ((ta || levels) && timeframes.isEmpty()) {
      throw problem(where, name, "asks for ta or levels but has no timeframes");
    }
    return new FeatureProfile(name, timeframes, ta, derivatives, orderbook, levels);
  }

  private static List<Timeframe> timeframes(String where, String profile, JsonNode node) {
    if (!node.isArray()) {
      throw problem(where, profile, "timeframes must be a list such as [15m, 1h, 4h]");
    }
    List<Timeframe> out = new ArrayList<>();
    for (JsonNode t : node) {
      try {
        Timeframe tf = Timeframe.parse(t.asText());
        if (!out.contains(tf)) {
          out.add(tf);
        }
      } catch (IllegalArgumentException e) {
        throw problem(where, profile, e.getMessage());
      }
    }
    return out;
  }

  private static boolean flag(String where, String profile, JsonNode node, String field, boolean inherited) {
    JsonNode v = node.get(field);
    if (v == null) {
      return inherited;
    }
    if (!v.isBoolean()) {
      throw problem(where, profile, field + " must be true or false, got '" + v.asText() + "'");
    }
    return v.asBoolean();
  }

  private static ConfigException problem(String where, String profile, String what) {
    return new ConfigException(KEY, where + ": profile '" + profile + "' " + what);
  }

  /** The profile called {@code name}, if defined. */
  public Optional<FeatureProfile> get(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  public Set<String> names() {
    return byName.keySet();
  }
}
