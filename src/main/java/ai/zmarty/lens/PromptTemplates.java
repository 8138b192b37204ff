package ai.zmarty.lens;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The evaluation prompts: a core prompt ({@code core.md}) and a wrapper per model ({@code
 * <model>.md}) whose {@code {{core}}} is replaced by the core. Each file starts with front matter
 * naming its version ({@code ---\nversion: core-v1\n---}). The shipped files live under {@code
 * conf/prompts/} on the classpath; a file of the same name in the override directory replaces one.
 * Read once, at start: a missing file or version stops the start with the file named.
 */
public final class PromptTemplates {
  static final String CLASSPATH_DIR = "conf/prompts/";
  private static final Pattern FRONT_MATTER = Pattern.compile("\\A---\\R(.*?)\\R---\\R?(.*)\\z", Pattern.DOTALL);
  private static final Pattern VERSION = Pattern.compile("(?m)^version:\\s*(\\S+)\\s*$");

  /**
   * One model's system prompt: {@code version} is the core's and the wrapper's versions ({@code
   * core-v1+gpt-v1}); {@code hash} the SHA-256 (hex) of {@code system}, the rendered template.
   */
  public record Rendered(String model, String version, String hash, String system) {}

  private record Template(String source, String version, String body) {}

  private final Map<String, Rendered> byModel = new LinkedHashMap<>();

  private PromptTemplates() {}

  /** Renders the prompt of every model in {@code models} (the offline rules need none). */
  public static PromptTemplates load(Optional<Path> overrides, List<String> models) {
    PromptTemplates t = new PromptTemplates();
    Template core = read(overrides, "core.md");
    for (String model : models) {
      if (model.equals(OfflineEvaluator.NAME)) {
        continue;
      }
      Template wrapper = read(overrides, model + ".md");
      if (!wrapper.body().contains("{{core}}")) {
        throw new IllegalStateException("prompt " + wrapper.source() + " does not include {{core}}");
      }
      String system = wrapper.body().replace("{{core}}", core.body()).strip();
      t.byModel.put(model, new Rendered(model, core.version() + "+" + wrapper.version(), sha256(system), system));
    }
    return t;
  }

  /** The rendered prompt of {@code model}; fails for a model that was not loaded. */
  public Rendered of(String model) {
    Rendered r = byModel.get(model);
    if (r == null) {
      throw new IllegalArgumentException("no prompt loaded for model " + model);
    }
    return r;
  }

  private static Template read(Optional<Path> overrides, String name) {
    String source;
    String text;
    Optional<Path> file = overrides.map(d -> d.resolve(name)).filter(Files::isRegularFile);
    try {
      if (file.isPresent()) {
        source = file.get().toString();
        text = Files.readString(file.get(), StandardCharsets.UTF_8);
      } else {
        source = "classpath:" + CLASSPATH_DIR + name;
        try (InputStream in = PromptTemplates.class.getClassLoader().getResourceAsStream(CLASSPATH_DIR + name)) {
          if (in == null) {
            throw new IllegalStateException("prompt " + name + " is missing (not in " + overrides.map(Path::toString).orElse("LENS_PROMPTS_DIR") + " nor the shipped " + CLASSPATH_DIR + ")");
          }
          text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read prompt " + name, e);
    }
    return parse(source, text);
  }

  static Template parse(String source, String text) {
    Matcher m = FRONT_MATTER.matcher(text.replace("\r\n", "\n"));
    if (!m.matches()) {
      throw new IllegalStateException("prompt " + source + " must start with front matter (---, version: …, ---)");
    }
    Matcher v = VERSION.matcher(m.group(1));
    if (!v.find()) {
      throw new IllegalStateException("prompt " + source + " has no version in its front matter");
    }
    return new Template(source, v.group(1), m.group(2));
  }

  static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
