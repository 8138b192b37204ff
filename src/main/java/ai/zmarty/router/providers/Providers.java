package ai.zmarty.router.providers;

import ai.zmarty.config.ZmartyConfig.ProviderConfig;
import ai.zmarty.config.ZmartyConfig.ProvidersConfig;
import ai.zmarty.router.ModelProvider;
import ai.zmarty.router.TokenCounter;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;

/** Builds the real providers that have an API key; the others are not routed to. */
public final class Providers {
  private Providers() {}

  public static List<ModelProvider> configured(Vertx vertx, ProvidersConfig config, TokenCounter tokens) {
    List<ModelProvider> out = new ArrayList<>();
    for (ProviderConfig p : config.all()) {
      if (!p.configured()) {
        continue;
      }
      out.add(of(vertx, config, p, tokens));
    }
    return out;
  }

  /** The adapter of one provider's wire format (Anthropic, Gemini, else OpenAI-compatible). */
  public static ModelProvider of(Vertx vertx, ProvidersConfig config, ProviderConfig p, TokenCounter tokens) {
    return switch (p.name()) {
      case "claude" -> new AnthropicProvider(vertx, p, config, tokens);
      case "gemini" -> new GeminiProvider(vertx, p, config, tokens);
      default -> new OpenAiCompatibleProvider(vertx, p, config, tokens);
    };
  }
}
