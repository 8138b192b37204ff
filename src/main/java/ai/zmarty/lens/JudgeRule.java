package ai.zmarty.lens;

import ai.zmarty.market.Candle;
import ai.zmarty.winrate.Resolution;
import ai.zmarty.winrate.Resolution.OpenSignal;
import ai.zmarty.winrate.Resolution.Side;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * How a model decision on an outside signal is scored, with the win-rate rule ({@link
 * Resolution}): the trade the signal proposes (its direction, entered at its {@code entry_price})
 * is followed on the bars after the bar in which the decision was made, so nothing the model could
 * not have known is used. The stop and first target come from the decision's {@code risk_plan}
 * ({@code {"stop": n, "targets": [n, …]}}) when they sit on the right side of the entry; without
 * them the close of the last horizon bar decides (a long wins above the entry, a short below).
 */
public final class JudgeRule {
  private JudgeRule() {}

  /** A decision waiting to be scored. {@code decidedAt}: when its row was written. */
  public record Pending(String decisionId, String symbol, String eventType, String direction, double entry, JsonObject riskPlan, Instant decidedAt) {}

  /** The outcome ({@code win}/{@code loss}, or null: a close signal, which is not scored) and the trade's return. */
  public record Scored(String decisionId, String outcome, Double tradeReturn) {}

  /** The bar a decision was made in: the first bar it may be judged on is the one after. */
  public static Instant decisionBar(Instant decidedAt, Duration bar) {
    long ms = bar.toMillis();
    return Instant.ofEpochMilli(Math.floorDiv(decidedAt.toEpochMilli(), ms) * ms);
  }

  /** Whether the decision is scored at all: only opening signals propose a trade. */
  public static boolean scored(Pending p) {
    return "OPEN_SIGNAL".equals(p.eventType()) && ("long".equals(p.direction()) || "short".equals(p.direction()));
  }

  /** The decision as the win-rate rule's open signal; {@code index} is its place in the caller's batch. */
  public static OpenSignal open(Pending p, long index, Duration bar, int horizonBars) {
    Side side = "short".equals(p.direction()) ? Side.SHORT : Side.LONG;
    Double stop = level(p.riskPlan(), "stop").filter(s -> side == Side.LONG ? s < p.entry() : s > p.entry()).orElse(null);
    Optional<Double> target = firstTarget(p.riskPlan()).filter(t -> side == Side.LONG ? t > p.entry() : t < p.entry());
    double unreachable = side == Side.LONG ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    return new OpenSignal(index, decisionBar(p.decidedAt(), bar), side, p.entry(), stop, target.orElse(unreachable), horizonBars);
  }

  /** Scores a decision on candles that include the bars after its decision bar; empty while they are not all known. */
  public static Optional<Scored> score(Pending p, OpenSignal open, List<Candle> candles, Duration bar) {
    return Resolution.resolve(open, candles, bar).map(r -> {
      double ret = (r.exitPrice() - p.entry()) / p.entry() * (open.side() == Side.LONG ? 1 : -1);
      return new Scored(p.decisionId(), r.outcome() == Resolution.Outcome.WIN ? "win" : "loss", ret);
    });
  }

  private static Optional<Double> level(JsonObject plan, String field) {
    return plan == null ? Optional.empty() : number(plan.getValue(field));
  }

  private static Optional<Double> firstTarget(JsonObject plan) {
    if (plan == null) {
      return Optional.empty();
    }
    Object targets = plan.getValue("targets");
    if (targets instanceof JsonArray a && !a.isEmpty()) {
      Object first = a.getValue(0);
      return number(first instanceof JsonObject o ? o.getValue("price") : first);
    }
    return number(targets);
  }

  private static Optional<Double> number(Object v) {
    double d;
    if (v instanceof Number n) {
      d = n.doubleValue();
    } else if (v instanceof String s) {
      try {
        d = Double.parseDouble(s.trim());
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    } else {
      return Optional.empty();
    }
    return Double.isFinite(d) && d > 0 ? Optional.of(d) : Optional.empty();
  }
}
