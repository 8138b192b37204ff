package ai.zmarty.cli;

import ai.zmarty.backtest.Backtest;
import ai.zmarty.backtest.BacktestReport;
import ai.zmarty.backtest.EquitySvg;
import ai.zmarty.market.Candle;
import ai.zmarty.market.CandleCsv;
import ai.zmarty.market.Pair;
import ai.zmarty.market.Symbols;
import ai.zmarty.market.Timeframe;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
    name = "backtest",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the worker's strategy over a candle CSV (ts,open,high,low,close,volume) and prints win rate and",
      "performance next to a random-direction baseline and buy-and-hold; writes backtest.json and equity.svg.",
      "Rules: docs/backtest.md."
    })
public final class BacktestCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--csv", required = true, paramLabel = "FILE", description = "Candle history, e.g. src/main/resources/market/btc_usd_4h.csv.")
  Path csv;

  @Option(names = "--symbol", required = true, paramLabel = "SYMBOL", description = "The pair's symbol for the report, e.g. BTC/USD (upper-cased; one asset or two joined by / - _ or :).")
  String symbol;

  @Option(names = "--timeframe", required = true, paramLabel = "TF", description = "The CSV's bar length: 1m, 5m, 15m, 30m, 1h, 4h or 1d.")
  String timeframe;

  @Option(names = "--from", paramLabel = "DATE", description = "First day (UTC, inclusive), yyyy-mm-dd; default: the file's first bar.")
  String from;

  @Option(names = "--to", paramLabel = "DATE", description = "Last day (UTC, inclusive), yyyy-mm-dd; default: the file's last bar.")
  String to;

  @Option(names = "--out", defaultValue = "backtest-out", paramLabel = "DIR", description = "Where backtest.json and equity.svg go (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--seed", defaultValue = "7", paramLabel = "N", description = "Seed of the random-direction baseline (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--one-position", description = "Take a signal only when no trade is open (default: every signal is its own trade, as the worker counts them).")
  boolean onePosition;

  /** Set by tests to force the plain progress lines; null = ask the terminal. */
  Boolean terminal;

  @Override
  public Integer call() throws IOException {
    Timeframe tf;
    try {
      tf = Timeframe.parse(timeframe);
    } catch (IllegalArgumentException e) {
      throw bad("--timeframe: " + e.getMessage());
    }
    Pair pair;
    try {
      pair = new Pair(Symbols.jobSymbol(symbol), tf);
    } catch (IllegalArgumentException e) {
      throw bad("--symbol: " + e.getMessage());
    }
    Instant start = date("--from", from, Instant.MIN);
    Instant end = to == null ? Instant.MAX : date("--to", to, null).plus(java.time.Duration.ofDays(1));
    if (!start.isBefore(end)) {
      throw bad("--from " + from + " is after --to " + to);
    }
    List<Candle> candles = read();
    checkTimeframe(candles, tf);
    Backtest.Settings settings = new Backtest.Settings(tf, start, end, seed, onePosition);
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter stderr = spec.commandLine().getErr();
    Backtest.Result result;
    try {
      result = Backtest.run(candles, settings, Backtest.STRATEGY, new ProgressBar(stderr, terminal != null ? terminal : Terminal.attached()));
    } catch (IllegalArgumentException e) {
      throw bad(csv + ": " + e.getMessage());
    }
    Files.createDirectories(out);
    Files.writeString(out.resolve("backtest.json"), BacktestReport.json(result, pair).encodePrettily(), StandardCharsets.UTF_8);
    String title = pair + ": " + ai.zmarty.signal.Strategy.NAME + " strategy vs buy-and-hold";
    Files.writeString(
        out.resolve("equity.svg"),
        EquitySvg.chart(title, List.of(new EquitySvg.Series("strategy (Π(1+r) of resolved trades)", "#1f77b4", result.strategyEquity()), new EquitySvg.Series("buy-and-hold", "#ff7f0e", result.buyAndHoldEquity()))),
        StandardCharsets.UTF_8);
    stdout.print(BacktestReport.text(result, pair));
    stdout.printf("%nwrote %s and %s%n", out.resolve("backtest.json"), out.resolve("equity.svg"));
    stdout.flush();
    return 0;
  }

  private List<Candle> read() throws IOException {
    if (!Files.isRegularFile(csv)) {
      throw bad("--csv: no such file: " + csv);
    }
    try (Reader reader = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
      List<Candle> candles = CandleCsv.read(reader, csv.toString());
      if (candles.isEmpty()) {
        throw bad("--csv: " + csv + " has no candles");
      }
      return candles;
    } catch (IllegalArgumentException e) {
      throw bad("--csv: " + e.getMessage());
    } catch (java.nio.charset.CharacterCodingException e) {
      throw bad("--csv: " + csv + " is not UTF-8 text");
    }
  }

  /** The most common spacing of the file's bars must be the timeframe, or every horizon is wrong. */
  private void checkTimeframe(List<Candle> candles, Timeframe tf) {
    Map<Long, Integer> gaps = new HashMap<>();
    for (int i = 1; i < Math.min(candles.size(), 1_000); i++) {
      gaps.merge(candles.get(i).openTime().toEpochMilli() - candles.get(i - 1).openTime().toEpochMilli(), 1, Integer::sum);
    }
    gaps.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).filter(g -> g != tf.millis()).ifPresent(g -> {
      throw bad("--timeframe " + tf.label() + " does not match " + csv + ", whose bars are " + java.time.Duration.ofMillis(g).toString().substring(2).toLowerCase(java.util.Locale.ROOT) + " apart");
    });
  }

  private Instant date(String option, String value, Instant absent) {
    if (value == null) {
      return absent;
    }
    try {
      return LocalDate.parse(value.trim()).atStartOfDay(ZoneOffset.UTC).toInstant();
    } catch (DateTimeParseException e) {
      throw bad(option + " must be a date like 2020-01-31, got '" + value + "'");
    }
  }

  private ParameterException bad(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
