package ai.zmarty.config;

import ai.zmarty.config.ZmartyConfig.ProviderConfig;
import ai.zmarty.config.ZmartyConfig.ProvidersConfig;
import ai.zmarty.config.ZmartyConfig.QueueConfig;
import ai.zmarty.lens.PromptTemplates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The lens evaluation worker: which models judge each enriched signal, how long each may take, and
 * where the prompts come from.
 *
 * @param models {@code LENS_MODELS}: {@code offline} (the rules evaluator) and/or router provider
 *     names (grok, gpt, claude, gemini), each asked once per event, in parallel
 * @param modelTimeout {@code LENS_MODEL_TIMEOUT}: one model's whole answer; then its row is {@code
 *     timeout}. At most three quarters of {@code QUEUE_HANDLER_TIMEOUT}, so the job can store the
 *     outcomes before the poller gives up on it; {@code cappedFrom} holds the asked value when it was lowered
 * @param maxTokens {@code LENS_MODEL_MAX_TOKENS}: the output budget of one model answer
 * @param promptsDir {@code LENS_PROMPTS_DIR}: a directory whose {@code core.md} and {@code <model>.md}
 *     replace the shipped ones of the same name (empty: the shipped ones only)
 * @param prompts the prompts of {@code models}, read and rendered at start: a bad file stops the
 *     start naming {@code LENS_PROMPTS_DIR} and the file
 */
public record LensEvaluateConfig(List<String> models, Duration modelTimeout, int maxTokens, Optional<Path> promptsDir, Optional<Duration> cappedFrom, PromptTemplates prompts) {
  public static final String OFFLINE = "offline";
  /** The provider name of each real model and the key that must be set to use it. */
  private static final Map<String, String> KEYS = Map.of("grok", "XAI_API_KEY", "gpt", "OPENAI_API_KEY", "claude", "ANTHROPIC_API_KEY", "gemini", "GEMINI_API_KEY");

  static LensEvaluateConfig from(RawConfig raw, ProvidersConfig providers, QueueConfig queue) {
    List<String> names = raw.list("LENS_MODELS");
    if (names.isEmpty()) {
      throw new ConfigException("LENS_MODELS", "must name at least one model of offline, grok, gpt, claude, gemini");
    }
    Set<String> seen = new LinkedHashSet<>();
    for (String name : names) {
      if (!name.equals(OFFLINE) && !KEYS.containsKey(name)) {
        throw new ConfigException("LENS_MODELS", "unknown model '" + name + "' (models: offline, grok, gpt, claude, gemini)");
      }
      if (!seen.add(name)) {
        throw new ConfigException("LENS_MODELS", "names '" + name + "' twice");
      }
      if (!name.equals(OFFLINE) && providers.all().stream().filter(p -> p.name().equals(name)).noneMatch(ProviderConfig::configured)) {
        throw new ConfigException("LENS_MODELS", "names '" + name + "' but " + KEYS.get(name) + " is empty");
      }
    }
    Duration timeout = raw.duration("LENS_MODEL_TIMEOUT", Duration.ofMillis(100), Duration.ofMinutes(5));
    // the job must be able to store the outcomes before the poller gives up on it
    Duration cap = queue.handlerTimeout().multipliedBy(3).dividedBy(4);
    Optional<Duration> cappedFrom = timeout.compareTo(cap) > 0 ? Optional.of(timeout) : Optional.empty();
    Optional<Path> dir = raw.optional("LENS_PROMPTS_DIR").map(Path::of);
    if (dir.isPresent() && !Files.isDirectory(dir.get())) {
      throw new ConfigException("LENS_PROMPTS_DIR", "is not a directory: " + dir.get());
    }
    List<String> models = List.copyOf(seen);
    PromptTemplates prompts;
    try {
      prompts = PromptTemplates.load(dir, models);
    } catch (IllegalStateException | java.io.UncheckedIOException e) {
      throw new ConfigException("LENS_PROMPTS_DIR", e.getMessage());
    }
    return new LensEvaluateConfig(models, cappedFrom.isPresent() ? cap : timeout, raw.integer("LENS_MODEL_MAX_TOKENS", 100, 32_000), dir, cappedFrom, prompts);
  }
}
