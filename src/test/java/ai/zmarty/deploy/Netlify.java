package ai.zmarty.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** deploy/netlify.toml read as Netlify reads it, its build command run, and what it publishes. */
record Netlify(Path base, String command, String publish, JsonNode redirects) {
  private static final Pattern REFERENCE = Pattern.compile("(?:src|href)=\"(/[^\"#?]*)\"");

  static Netlify load(Path base) throws IOException {
    JsonNode toml = new TomlMapper().readTree(base.resolve("netlify.toml").toFile());
    return new Netlify(base, toml.path("build").path("command").asText(), toml.path("build").path("publish").asText(), toml.path("redirects"));
  }

  /** The script the build command starts, relative to the base directory. */
  Path script() {
    return base.resolve(command.split(" ")[0]);
  }

  Path publishDir() {
    return base.resolve(publish);
  }

  record Run(int exit, String output) {}

  /** The build command, run in the base directory as Netlify runs it, with {@code env} set. */
  Run build(Map<String, String> env) throws Exception {
    Path log = Files.createTempFile("netlify-build-", ".log");
    ProcessBuilder pb = new ProcessBuilder("bash", "-c", command).directory(base.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().keySet().removeIf(k -> k.equals("ZMARTY_API_BASE") || k.startsWith("SUPABASE_"));
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("the build command did not finish within 120 s: " + Files.readString(log));
    }
    return new Run(p.exitValue(), Files.readString(log));
  }

  /** Every same-site path a published page names in a src or href attribute, by page. */
  Map<String, List<String>> references() throws IOException {
    Map<String, List<String>> byPage = new LinkedHashMap<>();
    try (Stream<Path> files = Files.walk(publishDir())) {
      for (Path page : files.filter(f -> f.toString().endsWith(".html")).sorted().toList()) {
        List<String> refs = new ArrayList<>();
        Matcher m = REFERENCE.matcher(Files.readString(page, StandardCharsets.UTF_8));
        while (m.find()) {
          refs.add(m.group(1));
        }
        byPage.put(publishDir().relativize(page).toString(), refs);
      }
    }
    return byPage;
  }

  /** The published file a URL path is answered with ({@code /} and {@code /x/} by their index.html). */
  Path fileFor(String urlPath) {
    String relative = urlPath.substring(1);
    return publishDir().resolve(relative.isEmpty() || relative.endsWith("/") ? relative + "index.html" : relative);
  }

  /** The published {@code _headers} file: path → header (lower case) → value. */
  Map<String, Map<String, String>> headers() throws IOException {
    Map<String, Map<String, String>> rules = new LinkedHashMap<>();
    Map<String, String> current = null;
    for (String line : Files.readAllLines(publishDir().resolve("_headers"))) {
      if (line.isBlank() || line.strip().startsWith("#")) {
        continue;
      }
      if (!Character.isWhitespace(line.charAt(0))) {
        current = rules.computeIfAbsent(line.strip(), k -> new LinkedHashMap<>());
      } else {
        int colon = line.indexOf(':');
        current.put(line.substring(0, colon).strip().toLowerCase(java.util.Locale.ROOT), line.substring(colon + 1).strip());
      }
    }
    return rules;
  }
}
