package ai.zmarty.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.Main;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

class BacktestCommandTest {
  private static final String BTC = "src/main/resources/market/btc_usd_4h.csv";

  @TempDir Path dir;

  record Run(int code, String out, String err) {}

  static Run zmarty(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void backtestsTwoYearsOfShippedBtcHistory() throws Exception {
    Path out = dir.resolve("out");
    Run run = zmarty("backtest", "--csv", BTC, "--symbol", "BTC/USD", "--timeframe", "4h", "--from", "2023-01-01", "--to", "2024-12-31", "--out", out.toString());

    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).contains("Backtest BTC/USD 4h", "strategy", "random (seed 7)", "buy-and-hold", "win rate", "Wilson 95 %", "profit factor", "Sharpe", "Sortino", "Omega", "max drawdown");
    // 2 years of 4h bars: 731 days × 6
    assertThat(run.out()).contains("bars 4,386");
    assertThat(run.err()).contains("backtest: 100% 4,386/4,386 bars");

    JsonObject json = new JsonObject(Files.readString(out.resolve("backtest.json")));
    assertThat(json.fieldNames()).contains("symbol", "timeframe", "from", "to", "seed", "bars", "signals", "strategy", "random", "buy_and_hold", "trades");
    assertThat(json.getString("from")).isEqualTo("2023-01-01T00:00:00Z");
    assertThat(json.getString("to")).isEqualTo("2025-01-01T00:00:00Z");
    for (String side : new String[] {"strategy", "random"}) {
      assertThat(json.getJsonObject(side).fieldNames()).contains("trades", "wins", "win_rate", "wilson_low", "wilson_high", "pnl", "profit_factor", "expectancy", "sharpe", "sortino", "omega", "max_drawdown");
    }
    assertThat(json.getJsonObject("buy_and_hold").getDouble("return")).isGreaterThan(4); // BTC ~16.5k → ~93k
    JsonObject signals = json.getJsonObject("signals");
    assertThat(signals.getInteger("long") + signals.getInteger("short") + signals.getInteger("flat")).isEqualTo(json.getInteger("bars"));
    assertThat(json.getJsonArray("trades")).hasSize(signals.getInteger("long") + signals.getInteger("short"));
    assertThat(json.getJsonArray("trades").getJsonObject(0).fieldNames()).contains("bar_time", "direction", "entry", "stop", "target", "outcome", "exit_price", "return");

    Path svg = out.resolve("equity.svg");
    assertThat(svg).exists();
    Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(svg.toFile());
    assertThat(doc.getDocumentElement().getNodeName()).isEqualTo("svg");
    assertThat(doc.getElementsByTagName("polyline").getLength()).isEqualTo(2);
    assertThat(Files.readString(svg)).contains("buy-and-hold", ">2024<", "log scale");
  }

  @Test
  void aMissingFileIsOneLineAndExitTwo() {
    Run run = zmarty("backtest", "--csv", dir.resolve("nope.csv").toString(), "--symbol", "BTC/USD", "--timeframe", "4h");
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).startsWith("zmarty backtest: --csv: no such file").doesNotContain("Exception", "Usage");
    assertThat(run.err().strip().lines()).hasSize(1);
  }

  @Test
  void aBadCsvNamesItsLine() throws Exception {
    Path csv = dir.resolve("bad.csv");
    Files.writeString(csv, "ts,open,high,low,close,volume\n1577836800000,1,2,0.5,1.5,3\n1577851200000,1,two,0.5,1.5,3\n");
    Run run = zmarty("backtest", "--csv", csv.toString(), "--symbol", "BTC/USD", "--timeframe", "4h");
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("line 3").doesNotContain("Exception", "\tat ");
    assertThat(run.err().strip().lines()).hasSize(1);
  }

  @Test
  void aFileWithoutTheHeaderIsRejected() throws Exception {
    Path csv = dir.resolve("junk.csv");
    Files.writeString(csv, "hello\n");
    Run run = zmarty("backtest", "--csv", csv.toString(), "--symbol", "BTC/USD", "--timeframe", "4h");
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("expected the header ts,open,high,low,close,volume");
  }

  @Test
  void aBadDateIsOneLineAndExitTwo() {
    Run run = zmarty("backtest", "--csv", BTC, "--symbol", "BTC/USD", "--timeframe", "4h", "--from", "2023-13-01");
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("--from must be a date like 2020-01-31, got '2023-13-01'");
    assertThat(run.err().strip().lines()).hasSize(1);
  }

  @Test
  void fromAfterToIsRejected() {
    Run run = zmarty("backtest", "--csv", BTC, "--symbol", "BTC/USD", "--timeframe", "4h", "--from", "2024-01-01", "--to", "2023-01-01");
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("--from 2024-01-01 is after --to 2023-01-01");
  }

  @Test
  void aPeriodWithoutBarsIsRejected() {
    Run run = zmarty("backtest", "--csv", BTC, "--symbol", "BTC/USD", "--timeframe", "4h", "--from", "2030-01-01");
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("no bars between");
  }

  @Test
  void anUnknownTimeframeIsOneLineAndExitTwo() {
    Run run = zmarty("backtest", "--csv", BTC, "--symbol", "BTC/USD", "--timeframe", "7h");
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("unknown timeframe '7h'");
    assertThat(run.err().strip().lines()).hasSize(1);
  }

  @Test
  void aTimeframeThatDoesNotMatchTheFileIsRejected() {
    Run run = zmarty("backtest", "--csv", BTC, "--symbol", "BTC/USD", "--timeframe", "1h");
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("--timeframe 1h does not match", "4h apart");
  }

  @Test
  void aSymbolThePairParserRefusesIsOneLineAndExitTwo() {
    Run run = zmarty("backtest", "--csv", BTC, "--symbol", "BTC/USD/EUR", "--timeframe", "4h");
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("--symbol: 'BTC/USD/EUR' is not a symbol like BTC/USDT");
    assertThat(run.err().strip().lines()).hasSize(1);
  }
}
