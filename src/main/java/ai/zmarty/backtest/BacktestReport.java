package ai.zmarty.backtest;

import ai.zmarty.backtest.Backtest.BuyAndHold;
import ai.zmarty.backtest.Backtest.Result;
import ai.zmarty.backtest.Backtest.Stats;
import ai.zmarty.market.Pair;
import ai.zmarty.winrate.Performance;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** The backtest's figures as a text table for a person and as {@code backtest.json}. */
public final class BacktestReport {
  private static final String NONE = "–";

  private BacktestReport() {}

  public static String text(Result r, Pair pair) {
    Backtest.Settings s = r.settings();
    BuyAndHold hold = r.buyAndHold();
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "Backtest %s %s, %s → %s, strategy %s, %s%n", pair.symbol(), pair.timeframeLabel(), hold.from(), hold.to(), ai.zmarty.signal.Strategy.NAME, s.onePosition() ? "one position at a time" : "every signal its own trade (overlapping)"));
    out.append(String.format(Locale.ROOT, "bars %,d   signals: long %,d  short %,d  flat %,d%n%n", r.bars(), r.longs(), r.shorts(), r.flats()));
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"", "strategy", "random (seed " + s.seed() + ")", "buy-and-hold"});
    rows.add(row(r, "resolved trades", st -> String.format(Locale.ROOT, "%,d", st.trades()), "1"));
    rows.add(row(r, "unresolved", st -> String.format(Locale.ROOT, "%,d", st.pending()), NONE));
    rows.add(row(r, "win rate", st -> pct(st.winRate()), hold.tradeReturn() > 0 ? "100.0 %" : "0.0 %"));
    rows.add(row(r, "  Wilson 95 %", st -> st.winRate() == null ? NONE : pct(st.wilsonLow()) + " – " + pct(st.wilsonHigh()), NONE));
    rows.add(row(r, "P&L (Σ returns)", st -> signedPct(st.performance().pnl()), signedPct(hold.tradeReturn())));
    rows.add(row(r, "equity Π(1+r)", st -> num(st.finalEquity()) + "×", num(1 + hold.tradeReturn()) + "×"));
    rows.add(row(r, "profit factor", st -> num(st.performance().profitFactor()), NONE));
    rows.add(row(r, "expectancy/trade", st -> st.performance().expectancy() == null ? NONE : String.format(Locale.ROOT, "%+.3f %%", 100 * st.performance().expectancy()), NONE));
    rows.add(row(r, "Sharpe/trade", st -> num(st.performance().sharpe()), NONE));
    rows.add(row(r, "Sortino/trade", st -> num(st.performance().sortino()), NONE));
    rows.add(row(r, "Omega(0)", st -> num(st.performance().omega()), NONE));
    rows.add(row(r, "max drawdown", st -> pct(st.performance().maxDrawdown()), pct(hold.maxDrawdown())));
    int[] widths = new int[4];
    for (String[] cells : rows) {
      for (int i = 0; i < 4; i++) {
        widths[i] = Math.max(widths[i], cells[i].length());
      }
    }
    for (String[] cells : rows) {
      out.append(String.format(Locale.ROOT, "%-" + widths[0] + "s  %" + widths[1] + "s  %" + widths[2] + "s  %" + widths[3] + "s%n", (Object[]) cells));
    }
    out.append(String.format(Locale.ROOT, "%nEntry at the signal bar's close (a stricter fill is the next bar's open). Ratios are per trade, not annualised.%n"));
    return out.toString();
  }

  private static String[] row(Result r, String label, Function<Stats, String> f, String hold) {
    return new String[] {label, f.apply(r.strategy()), f.apply(r.random()), hold};
  }

  public static JsonObject json(Result r, Pair pair) {
    Backtest.Settings s = r.settings();
    BuyAndHold hold = r.buyAndHold();
    JsonArray trades = new JsonArray();
    r.trades().forEach(t -> trades.add(t.toJson()));
    return new JsonObject()
        .put("symbol", pair.symbol())
        .put("timeframe", pair.timeframeLabel())
        .put("from", hold.from().toString())
        .put("to", hold.to().toString())
        .put("strategy_name", ai.zmarty.signal.Strategy.NAME)
        .put("mode", s.onePosition() ? "one_position" : "every_signal")
        .put("entry", "signal_bar_close")
        .put("seed", s.seed())
        .put("bars", r.bars())
        .put("signals", new JsonObject().put("long", r.longs()).put("short", r.shorts()).put("flat", r.flats()))
        .put("strategy", stats(r.strategy()))
        .put("random", stats(r.random()))
        .put(
            "buy_and_hold",
            new JsonObject()
                .put("entry", hold.entry())
                .put("exit", hold.exit())
                .put("return", hold.tradeReturn())
                .put("max_drawdown", hold.maxDrawdown()))
        .put("trades", trades);
  }

  private static JsonObject stats(Stats st) {
    Performance p = st.performance();
    return new JsonObject()
        .put("trades", st.trades())
        .put("unresolved", st.pending())
        .put("wins", st.wins())
        .put("win_rate", st.winRate())
        .put("wilson_low", st.wilsonLow())
        .put("wilson_high", st.wilsonHigh())
        .put("pnl", p.pnl())
        .put("final_equity", st.finalEquity())
        .put("profit_factor", p.profitFactor())
        .put("expectancy", p.expectancy())
        .put("sharpe", p.sharpe())
        .put("sortino", p.sortino())
        .put("omega", p.omega())
        .put("max_drawdown", p.maxDrawdown());
  }

  private static String pct(Double d) {
    return d == null ? NONE : String.format(Locale.ROOT, "%.1f %%", 100 * d);
  }

  private static String signedPct(Double d) {
    return d == null ? NONE : String.format(Locale.ROOT, "%+,.1f %%", 100 * d);
  }

  private static String num(Double d) {
    if (d == null) {
      return NONE;
    }
    return Math.abs(d) >= 1e6 || (d != 0 && Math.abs(d) < 1e-3) ? String.format(Locale.ROOT, "%.3g", d) : String.format(Locale.ROOT, "%,.3f", d);
  }
}
