package ai.zmarty.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/** Reading deploy/'s files the way their tools do (YAML anchors and merge keys, compose interpolation, Dockerfile ENV). */
final class DeployYaml {
  /** What a secret the operator must fill in stands for in the checks: long enough for any secret setting. */
  static final String PLACEHOLDER_SECRET = "placeholder-secret-placeholder-secret-0123456789";

  private static final Pattern INTERPOLATION = Pattern.compile("\\$\\{([A-Z0-9_]+)(?:(:-|:\\?)([^}]*))?}");
  private static final Pattern ENV_PAIR = Pattern.compile("([A-Z][A-Z0-9_]*)=(\"[^\"]*\"|\\S+)");

  private DeployYaml() {}

  static List<Object> documents(Path file) throws IOException {
    List<Object> docs = new ArrayList<>();
    new Yaml(new LoaderOptions()).loadAll(Files.readString(file)).forEach(d -> {
      if (d != null) {
        docs.add(d);
      }
    });
    return docs;
  }

  static Map<String, Object> map(Path file) throws IOException {
    return cast(new Yaml(new LoaderOptions()).load(Files.readString(file)));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> cast(Object o) {
    return o == null ? Map.of() : (Map<String, Object>) o;
  }

  static Map<String, Object> child(Map<String, Object> m, String key) {
    return cast(m.get(key));
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Map<String, Object> m, String key) {
    Object o = m.get(key);
    return o == null ? List.of() : (List<Object>) o;
  }

  static List<String> strings(Map<String, Object> m, String key) {
    return list(m, key).stream().map(String::valueOf).toList();
  }

  /** A compose service's environment, interpolated as compose does: ${X:-default}, ${X:?error} (a placeholder here), ${X} (empty). */
  static Map<String, String> composeEnv(Map<String, Object> environment) {
    Map<String, String> env = new LinkedHashMap<>();
    environment.forEach((k, v) -> {
      Matcher m = INTERPOLATION.matcher(String.valueOf(v));
      StringBuilder out = new StringBuilder();
      while (m.find()) {
        String replacement = m.group(2) == null ? "" : m.group(2).equals(":-") ? m.group(3) : PLACEHOLDER_SECRET;
        m.appendReplacement(out, Matcher.quoteReplacement(replacement));
      }
      m.appendTail(out);
      env.put(k, out.toString());
    });
    return env;
  }

  /** Render envVars: a value, or (sync: false) a secret filled in on the dashboard. */
  static Map<String, String> renderEnv(List<Object> envVars) {
    Map<String, String> env = new HashMap<>();
    for (Object o : envVars) {
      Map<String, Object> v = cast(o);
      if (v.containsKey("key")) {
        String key = (String) v.get("key");
        env.put(key, v.containsKey("value") ? String.valueOf(v.get("value")) : placeholderFor(key));
      }
    }
    return env;
  }

  /** A value of the right shape for a setting the operator fills in. */
  static String placeholderFor(String key) {
    return key.endsWith("_DATABASE_URL") ? "postgres://zmarty:secret@db.internal:5432/postgres" : PLACEHOLDER_SECRET;
  }

  /** The ENV instructions of a Dockerfile (KEY=value pairs, continuation lines joined). */
  static Map<String, String> dockerEnv(String dockerfile) {
    Map<String, String> env = new LinkedHashMap<>();
    String joined = dockerfile.replace("\\\n", " ");
    for (String line : joined.split("\n")) {
      if (line.startsWith("ENV ")) {
        Matcher m = ENV_PAIR.matcher(line.substring(4));
        while (m.find()) {
          env.put(m.group(1), m.group(2).replaceAll("^\"|\"$", ""));
        }
      }
    }
    return env;
  }
}
