package ai.zmarty.admin;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.bus.Addresses;
import ai.zmarty.testing.Eventually;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The log appender behind the dashboard's recent errors: what it publishes, and how it holds a burst back. */
@ExtendWith(VertxExtension.class)
class LogFeedTest {
  private static final Logger log = LoggerFactory.getLogger("ai.zmarty.test.Burst");

  @Test
  void publishesWarningsNotInfoAndCapsABurstAnnouncingWhatItDropped(Vertx vertx) throws Exception {
    String node = "burst-node-" + System.nanoTime();
    List<JsonObject> got = new CopyOnWriteArrayList<>();
    vertx.eventBus().<JsonObject>consumer(Addresses.OPS_LOG_EVENTS, m -> {
      if (node.equals(m.body().getString("node"))) {
        got.add(m.body());
      }
    }).completion().await(5, TimeUnit.SECONDS);
    Runnable detach = LogFeed.attach(vertx, node);
    try {
      // start at the beginning of a second, so the burst falls within one
      long second = System.currentTimeMillis() / 1000;
      Eventually.await(Duration.ofSeconds(3), "a new second", () -> System.currentTimeMillis() / 1000 > second);
      log.info("not published");
      for (int i = 0; i < 100; i++) {
        log.warn("burst {}", i);
      }
      long burstSecond = System.currentTimeMillis() / 1000;
      Eventually.await(Duration.ofSeconds(5), "the next second", () -> System.currentTimeMillis() / 1000 > burstSecond);
      log.error("after the burst", new IllegalStateException("why"));
      Eventually.await(Duration.ofSeconds(5), "the events after the burst", () -> got.stream().anyMatch(e -> e.getString("message").startsWith("after the burst")));
      assertThat(got).noneMatch(e -> e.getString("message").equals("not published"));
      long burst = got.stream().filter(e -> e.getString("message").startsWith("burst ")).count();
      // one second's worth at most, unless the loop crossed into the next second (then two)
      assertThat(burst).isBetween((long) LogFeed.PER_SECOND, 2L * LogFeed.PER_SECOND);
      assertThat(got).anyMatch(e -> e.getString("message").equals((100 - burst) + " WARN/ERROR events not shown (more than 20 a second)"));
      JsonObject error = got.stream().filter(e -> e.getString("message").startsWith("after the burst")).findFirst().orElseThrow();
      assertThat(error.getString("message")).isEqualTo("after the burst (java.lang.IllegalStateException: why)");
      assertThat(error.getString("level")).isEqualTo("ERROR");
      assertThat(error.getString("logger")).isEqualTo("ai.zmarty.test.Burst");
    } finally {
      detach.run();
    }
  }
}
