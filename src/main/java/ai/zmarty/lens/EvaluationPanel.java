package ai.zmarty.lens;

import ai.zmarty.config.LensEvaluateConfig;
import ai.zmarty.config.ZmartyConfig.ProvidersConfig;
import ai.zmarty.credit.Pricing;
import ai.zmarty.router.ModelProvider;
import ai.zmarty.router.Prompt;
import ai.zmarty.router.TokenCounter;
import ai.zmarty.router.providers.ProviderFailure;
import ai.zmarty.router.providers.Providers;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Asks every model of the panel about one event at once, each bounded by its own timeout, and
 * completes when each has answered, failed or timed out — never failing itself: whatever a model
 * did becomes its {@link EvaluationOutcome}. A slow model's upstream call is cancelled at its
 * deadline; the others' answers are not held back by it (each outcome is ready on its own future).
 */
public final class EvaluationPanel {
  private final Vertx vertx;
  private final List<String> models;
  private final Map<String, ModelProvider> providers;
  private final PromptTemplates prompts;
  private final ModelDecisionSchema schema;
  private final OfflineEvaluator offline = new OfflineEvaluator();
  private final TokenCounter tokens;
  private final Pricing pricing;
  private final Duration timeout;
  private final int maxTokens;

  /** The panel of {@code LENS_MODELS}, each real one through the router's provider adapter. */
  public static EvaluationPanel of(Vertx vertx, LensEvaluateConfig lens, ProvidersConfig config, Pricing pricing) {
    TokenCounter tokens = new TokenCounter();
    Map<String, ModelProvider> providers = new HashMap<>();
    config.all().stream().filter(p -> lens.models().contains(p.name())).forEach(p -> providers.put(p.name(), Providers.of(vertx, config, p, tokens)));
    return new EvaluationPanel(vertx, lens.models(), providers, lens.prompts(), new ModelDecisionSchema(), tokens, pricing, lens.modelTimeout(), lens.maxTokens());
  }

  /** @param providers the real models of {@code models} by name (offline needs none) */
  public EvaluationPanel(Vertx vertx, List<String> models, Map<String, ModelProvider> providers, PromptTemplates prompts, ModelDecisionSchema schema, TokenCounter tokens, Pricing pricing, Duration timeout, int maxTokens) {
    this.vertx = vertx;
    this.models = List.copyOf(models);
    this.providers = Map.copyOf(providers);
    this.prompts = prompts;
    this.schema = schema;
    this.tokens = tokens;
    this.pricing = pricing;
    this.timeout = timeout;
    this.maxTokens = maxTokens;
    for (String m : models) {
      if (!m.equals(OfflineEvaluator.NAME) && !providers.containsKey(m)) {
        throw new IllegalArgumentException("no provider for lens model " + m);
      }
    }
  }

  public List<String> models() {
    return models;
  }

  /** One future per model in {@code only} (in panel order), each completing with that model's outcome. */
  public List<Future<EvaluationOutcome>> ask(String eventId, JsonObject signal, JsonObject payload, java.util.Set<String> only) {
    List<Future<EvaluationOutcome>> out = new ArrayList<>();
    for (String model : models) {
      if (only.contains(model)) {
        out.add(model.equals(OfflineEvaluator.NAME) ? Future.succeededFuture(offline(signal, payload)) : real(model, eventId, signal, payload));
      }
    }
    return out;
  }

  private EvaluationOutcome offline(JsonObject signal, JsonObject payload) {
    long started = System.nanoTime();
    ModelDecision d = offline.evaluate(signal, payload);
    return new EvaluationOutcome(OfflineEvaluator.NAME, EvaluationOutcome.OK, d, null, null, null, OfflineEvaluator.VERSION, OfflineEvaluator.HASH, (System.nanoTime() - started) / 1_000_000, 0, 0, 0, Instant.now());
  }

  /** The user message: the signal and what enrichment gathered, as one JSON document. */
  static String userMessage(JsonObject signal, JsonObject payload) {
    return new JsonObject().put("signal", signal).put("enriched", payload).encode();
  }

  private Future<EvaluationOutcome> real(String model, String eventId, JsonObject signal, JsonObject payload) {
    PromptTemplates.Rendered prompt = prompts.of(model);
    Prompt p = new Prompt(prompt.system(), userMessage(signal, payload));
    Promise<Void> cancel = Promise.promise();
    ModelProvider.Call call = new ModelProvider.Call("lens-" + eventId + "-" + model, p, null, maxTokens, tokens.count(p), cancel.future(), schema.output());
    StringBuilder answer = new StringBuilder();
    Promise<EvaluationOutcome> outcome = Promise.promise();
    long started = System.nanoTime();
    long timer = vertx.setTimer(timeout.toMillis(), id -> {
      if (outcome.tryComplete(failed(model, prompt, EvaluationOutcome.TIMEOUT, "timeout", "no complete answer within " + timeout.toMillis() + " ms", started, null))) {
        cancel.tryComplete(); // stop the upstream call now
      }
    });
    providers.get(model).stream(call, piece -> {
      answer.append(piece);
      return true;
    }).onComplete(ar -> {
      vertx.cancelTimer(timer);
      outcome.tryComplete(ar.succeeded() ? answered(model, prompt, answer.toString(), ar.result(), started) : failure(model, prompt, ar.cause(), started));
    });
    return outcome.future();
  }

  private EvaluationOutcome answered(String model, PromptTemplates.Rendered prompt, String raw, ModelProvider.Usage usage, long started) {
    long latency = (System.nanoTime() - started) / 1_000_000;
    double cost = cost(model, usage);
    return switch (schema.parse(raw)) {
      case ModelDecisionSchema.Valid v -> new EvaluationOutcome(model, EvaluationOutcome.OK, v.decision(), raw, null, null, prompt.version(), prompt.hash(), latency, usage.inputTokens(), usage.outputTokens(), cost, Instant.now());
      case ModelDecisionSchema.Invalid i ->
          new EvaluationOutcome(model, EvaluationOutcome.INVALID_JSON, ModelDecision.fallback("invalid answer"), raw, "invalid_json", i.reason(), prompt.version(), prompt.hash(), latency, usage.inputTokens(), usage.outputTokens(), cost, Instant.now());
    };
  }

  private EvaluationOutcome failure(String model, PromptTemplates.Rendered prompt, Throwable err, long started) {
    ModelProvider.Usage usage = err instanceof ModelProvider.PartialFailure pf ? pf.usage() : null;
    Throwable cause = err instanceof ModelProvider.PartialFailure && err.getCause() != null ? err.getCause() : err;
    if (cause instanceof ProviderFailure f) {
      String code = f.kind().name().toLowerCase(Locale.ROOT);
      boolean timedOut = f.kind() == ProviderFailure.Kind.CONNECT_TIMEOUT || f.kind() == ProviderFailure.Kind.FIRST_BYTE_TIMEOUT || f.kind() == ProviderFailure.Kind.IDLE_TIMEOUT;
      return failed(model, prompt, timedOut ? EvaluationOutcome.TIMEOUT : EvaluationOutcome.PROVIDER_ERROR, code, f.getMessage(), started, usage);
    }
    return failed(model, prompt, EvaluationOutcome.PROVIDER_ERROR, "other", String.valueOf(cause.getMessage()), started, usage);
  }

  private EvaluationOutcome failed(String model, PromptTemplates.Rendered prompt, String status, String code, String message, long started, ModelProvider.Usage usage) {
    long in = usage == null ? 0 : usage.inputTokens();
    long out = usage == null ? 0 : usage.outputTokens();
    String m = message.length() > 500 ? message.substring(0, 500) + "…" : message;
    return new EvaluationOutcome(model, status, ModelDecision.fallback(status), null, code, m, prompt.version(), prompt.hash(), (System.nanoTime() - started) / 1_000_000, in, out, usage == null ? 0 : cost(model, usage), Instant.now());
  }

  /** Credits at the router's prices for this provider (PRICE_<PROVIDER>). */
  private double cost(String model, ModelProvider.Usage usage) {
    return pricing.charge(model, usage.inputTokens(), usage.outputTokens());
  }
}
