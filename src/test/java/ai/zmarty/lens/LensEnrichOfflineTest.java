package ai.zmarty.lens;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.market.Candle;
import ai.zmarty.market.SimulatedMarket;
import ai.zmarty.market.Timeframe;
import ai.zmarty.testing.TestDatabases;
import ai.zmarty.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Enrichment on the embedded defaults (the simulated market, seed 42), as the demo runs it: every
 * component a profile asks for is there, and even a profile asking for everything on every
 * timeframe keeps the models' payload under 4 KB.
 */
class LensEnrichOfflineTest {
  private static Vertx vertx;
  private static LensEvents events;

  @BeforeAll
  static void start() throws Exception {
    TestDatabases.Pair dbs = TestDatabases.migrated();
    vertx = Vertx.vertx();
    Path profiles = Files.createTempFile("feature_profiles", ".yaml");
    String defaults = new String(LensEnrichOfflineTest.class.getClassLoader().getResourceAsStream("conf/feature_profiles.yaml").readAllBytes());
    Files.writeString(profiles, defaults + "  everything_v1:\n    extends: full_v1\n    timeframes: [1m, 5m, 15m, 30m, 1h, 4h, 1d]\n");
    TestNode.start(vertx, dbs.config(Map.of("ROLES", "worker", "QUEUE_NAMES", "lens_enrich", "QUEUE_IDLE_POLL", "50ms", "LENS_PROFILES_FILE", profiles.toString())), dbs.chat(), dbs.trading());
    events = new LensEvents(dbs.trading());
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  /** The simulated mid a worker sees now: the last closed 1m bar's close. */
  private static double mid(String symbol) {
    Instant now = Instant.now();
    List<Candle> bars = new SimulatedMarket(42, Clock.systemUTC()).bars(symbol, Timeframe.M1, now.minusSeconds(600), now);
    return bars.get(bars.size() - 1).close();
  }

  @Test
  void theSimulatedMarketGivesEveryComponentOfTheFullProfile() {
    UUID id = events.queue("BTC/USDT", "long", mid("BTC/USDT"), Instant.now(), "full_v1");
    events.awaitStatus(id, "enriched");
    JsonObject row = events.enriched(id);
    assertThat(row.getString("provider")).isEqualTo("simulated");
    assertThat(row.getString("provider_version")).isEqualTo("seed-42");
    assertThat(row.getJsonObject("market").getJsonObject("ticker").getDouble("bid")).isNotNull();
    assertThat(row.getJsonObject("derivatives").getDouble("predicted_funding_1h")).isNotNull();
    assertThat(row.getJsonObject("orderbook").getJsonArray("asks")).hasSize(10);
    assertThat(row.getJsonObject("ta").fieldNames()).containsExactlyInAnyOrder("15m", "1h", "4h");
    assertThat(row.getJsonObject("levels").fieldNames()).containsExactlyInAnyOrder("15m", "1h", "4h");
    row.getJsonObject("quality_flags").forEach(e -> assertThat((JsonArray) e.getValue()).as(e.getKey()).isEmpty());
    assertThat(events.evaluateMessages(id)).isEqualTo(1);
  }

  @Test
  void evenEveryComponentOnEveryTimeframeKeepsTheModelPayloadUnderFourKilobytes() {
    UUID id = events.queue("ETH/USDT", "short", mid("ETH/USDT"), Instant.now(), "everything_v1");
    events.awaitStatus(id, "enriched");
    JsonObject payload = events.enriched(id).getJsonObject("model_payload");
    assertThat(payload.getJsonObject("ta").fieldNames()).hasSize(7);
    assertThat(payload.fieldNames()).contains("derivatives", "orderbook", "quality");
    assertThat(EnrichPayload.bytes(payload)).isLessThan(EnrichPayload.MAX_BYTES);
  }
}
