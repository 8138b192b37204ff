package ai.zmarty.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.market.Candle;
import ai.zmarty.market.CandleCsv;
import ai.zmarty.testing.LogCapture;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A file the program loads that is missing or malformed: one warning naming it and the problem, an empty result, no exception, no trace. */
class FileLoadTest {
  private final Schema pair = Contracts.directory(ContractsTest.DIR).schema("common.pair");

  @Test
  void aMalformedCsvGivesOneWarningNamingTheFileAndLineAndNoCandles() throws Exception {
    Path csv = Files.createTempFile("candles", ".csv");
    Files.writeString(csv, "ts,open,high,low,close,volume\n1700000000000,1,2,0.5,1.5,10\n1700014400000,1,2,oops,1.5,10\n");
    try (LogCapture logs = new LogCapture()) {
      Optional<List<Candle>> candles = FileLoad.path(csv, CandleCsv::read);
      assertThat(candles).isEmpty();
      assertThat(warnings(logs)).singleElement().satisfies(w -> assertThat(w).contains(csv.toString()).contains("line 3"));
      assertThat(logs.errorsOrTraces()).isEmpty();
    }
  }

  @Test
  void aMissingFileGivesOneWarningAndAnEmptyResult() {
    Path gone = Path.of("/nonexistent/conf/feature_profiles.yaml");
    try (LogCapture logs = new LogCapture()) {
      assertThat(FileLoad.document(gone, pair)).isEmpty();
      assertThat(FileLoad.text(Path.of("/nonexistent/prompt.md"))).isEmpty();
      assertThat(FileLoad.texts(Path.of("/nonexistent/prompts"), ".md")).isEmpty();
      assertThat(FileLoad.resource("market/nope.csv", CandleCsv::read)).isEmpty();
      assertThat(warnings(logs)).hasSize(4).allSatisfy(w -> assertThat(w).containsAnyOf("does not exist", "no such resource"));
      assertThat(warnings(logs).get(0)).contains(gone.toString());
      assertThat(logs.errorsOrTraces()).isEmpty();
    }
  }

  @Test
  void aYamlDocumentIsCheckedAgainstItsContractNamingEachBadField() throws Exception {
    Path dir = Files.createTempDirectory("conf");
    Path good = Files.writeString(dir.resolve("pair.yaml"), "symbol: BTC/USDT\ntimeframe: 4h\n");
    Path bad = Files.writeString(dir.resolve("bad.yaml"), "symbol: 42\ntimeframe: 7h\n");
    Path broken = Files.writeString(dir.resolve("broken.yaml"), "symbol: [unclosed\n");
    try (LogCapture logs = new LogCapture()) {
      assertThat(FileLoad.document(good, pair)).contains(new JsonObject().put("symbol", "BTC/USDT").put("timeframe", "4h"));
      assertThat(FileLoad.document(bad, pair)).isEmpty();
      assertThat(FileLoad.document(broken, pair)).isEmpty();
      List<String> w = warnings(logs);
      assertThat(w).hasSize(2);
      assertThat(w.get(0)).contains(bad.toString()).contains("symbol").contains("timeframe").contains("common.pair");
      assertThat(w.get(1)).contains(broken.toString());
      assertThat(logs.errorsOrTraces()).isEmpty();
    }
  }

  @Test
  void aFolderOfPromptsSkipsWhatItCannotRead() throws Exception {
    Path dir = Files.createTempDirectory("prompts");
    Files.writeString(dir.resolve("b.md"), "second");
    Files.writeString(dir.resolve("a.md"), "first");
    Files.writeString(dir.resolve("notes.txt"), "ignored");
    assertThat(FileLoad.texts(dir, ".md")).containsExactly(java.util.Map.entry("a.md", "first"), java.util.Map.entry("b.md", "second"));
  }

  static List<String> warnings(LogCapture logs) {
    return logs.events().stream().filter(e -> e.getLevel() == Level.WARN && e.getLoggerName().equals(FileLoad.class.getName())).map(ILoggingEvent::getFormattedMessage).toList();
  }
}
