package ai.zmarty.signal;

import ai.zmarty.config.ZmartyConfig.GuardrailConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The doubling guardrails of the paper position book. A signal against no position, or against a
 * position in the other direction, opens one unit. A signal in the position's direction doubles it
 * only if every guard passes; otherwise it is skipped and the first guard that failed is named
 * (all failing ones are kept too). Guards, in order:
 * <ol>
 *   <li>{@code score_delta}: the score rose by more than {@code scoreDelta} since the last action;
 *   <li>{@code max_position}: the position is below {@code maxPositionPct} of the portfolio;
 *   <li>{@code cooldown}: at least {@code cooldown} passed since the last action (signal bar time);
 *   <li>{@code volatility}: the bar's ATR ÷ close is under {@code volatilityThreshold} (unknown
 *       volatility fails the guard: no doubling blind).
 * </ol>
 * A doubled position is capped at {@code maxPositionPct}.
 */
public final class DoublingGuard {

  public record Config(double scoreDelta, double maxPositionPct, Duration cooldown, double volatilityThreshold, double unitPct) {}

  public record Position(String direction, double sizePct, double lastScore, Instant lastActionAt) {}

  public enum Action {
    OPEN,
    DOUBLE,
    SKIP
  }

  /** What was decided, why, and the position afterwards. */
  public record Verdict(Action action, Optional<String> guard, List<String> failedGuards, Position position) {}

  private final Config config;

  public DoublingGuard(Config config) {
    this.config = config;
  }

  /** From the configured guardrails; a unit is a quarter of the largest position. */
  public static DoublingGuard of(GuardrailConfig g) {
    return new DoublingGuard(new Config(g.scoreDelta(), g.maxPositionPct(), g.cooldown(), g.volatilityThreshold(), g.maxPositionPct() / 4));
  }

  public Verdict decide(Optional<Position> current, String direction, double score, Double volatility, Instant at) {
    if (current.isEmpty() || !current.get().direction().equals(direction)) {
      Position opened = new Position(direction, Math.min(config.unitPct(), config.maxPositionPct()), score, at);
      return new Verdict(Action.OPEN, Optional.empty(), List.of(), opened);
    }
    Position p = current.get();
    List<String> failed = new ArrayList<>();
    if (!(score - p.lastScore() > config.scoreDelta())) {
      failed.add("score_delta");
    }
    if (!(p.sizePct() < config.maxPositionPct())) {
      failed.add("max_position");
    }
    if (Duration.between(p.lastActionAt(), at).compareTo(config.cooldown()) < 0) {
      failed.add("cooldown");
    }
    if (volatility == null || !(volatility < config.volatilityThreshold())) {
      failed.add("volatility");
    }
    if (!failed.isEmpty()) {
      return new Verdict(Action.SKIP, Optional.of(failed.get(0)), List.copyOf(failed), p);
    }
    Position doubled = new Position(direction, Math.min(p.sizePct() * 2, config.maxPositionPct()), score, at);
    return new Verdict(Action.DOUBLE, Optional.empty(), List.of(), doubled);
  }
}
