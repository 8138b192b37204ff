package ai.zmarty.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.zmarty.config.ZmartyConfig.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ZmartyConfigTest {

  private static ZmartyConfig load(Map<String, String> env) {
    return ZmartyConfig.from(RawConfig.load(env));
  }

  private static void rejects(Map<String, String> env, String key, String fragment) {
    assertThatThrownBy(() -> load(env)).isInstanceOf(ConfigException.class).hasMessageStartingWith(key + ": ").hasMessageContaining(fragment);
  }

  @Test
  void defaultsDescribeAnEmbeddedSingleNode() {
    ZmartyConfig c = load(Map.of());
    assertThat(c.http().port()).isEqualTo(8080);
    assertThat(c.database().embedded()).isTrue();
    assertThat(c.database().dataDir()).isEqualTo(Path.of("./.zmarty"));
    assertThat(c.roles()).containsExactlyInAnyOrder(Role.API, Role.WORKER, Role.OPS);
    assertThat(c.eventLoops()).isZero();
    assertThat(c.eventLoopThreads()).isEqualTo(Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
    assertThat(c.cluster().members()).containsExactly("127.0.0.1");
    assertThat(c.queue().queues()).containsExactly("ingest_indicators", "compute_signals", "compute_winrate", "lens_enrich", "lens_evaluate");
    assertThat(c.queue().maxReads()).isEqualTo(5);
    assertThat(c.health().queueMaxAge()).isEqualTo(java.time.Duration.ofSeconds(120));
    assertThat(c.http().idleTimeout()).isEqualTo(java.time.Duration.ofSeconds(60));
    assertThat(c.http().requestTimeout()).isEqualTo(java.time.Duration.ofSeconds(30));
    assertThat(c.auth().allowNoExp()).isFalse();
    assertThat(c.auth().jwtSecret()).isEmpty();
  }

  @Test
  void environmentOverridesEveryDefault() {
    ZmartyConfig c =
        load(
            Map.of(
                "HTTP_PORT", "9090",
                "CHAT_DATABASE_URL", "postgres://app:s%40cret@db.example:6543/chat?sslmode=require",
                "TRADING_DATABASE_URL", "postgresql://db2/trading",
                "CLUSTER_MEMBERS", "10.0.0.1, 10.0.0.2:5701",
                "QUEUE_BACKOFF_BASE", "3s",
                "ROLES", "worker"));
    assertThat(c.http().port()).isEqualTo(9090);
    assertThat(c.database().embedded()).isFalse();
    PgUrl chat = c.database().chatUrl().orElseThrow();
    assertThat(chat.password()).isEqualTo("s@cret");
    assertThat(chat.port()).isEqualTo(6543);
    assertThat(chat.requiresSsl()).isTrue();
    assertThat(chat.toString()).doesNotContain("cret");
    assertThat(c.database().tradingUrl().orElseThrow().port()).isEqualTo(5432);
    assertThat(c.cluster().members()).containsExactly("10.0.0.1", "10.0.0.2:5701");
    assertThat(c.queue().backoffBase()).isEqualTo(Duration.ofSeconds(3));
    assertThat(c.roles()).containsExactly(Role.WORKER);
  }

  @Test
  void eventLoopsAreAWholeNumberUpTo256() {
    assertThat(load(Map.of("EVENT_LOOPS", "6")).eventLoopThreads()).isEqualTo(6);
    rejects(Map.of("EVENT_LOOPS", "-1"), "EVENT_LOOPS", "from 0 to 256");
    rejects(Map.of("EVENT_LOOPS", "many"), "EVENT_LOOPS", "whole number");
  }

  @Test
  void badPortNamesTheVariable() {
    rejects(Map.of("HTTP_PORT", "eighty"), "HTTP_PORT", "whole number");
    rejects(Map.of("HTTP_PORT", "70000"), "HTTP_PORT", "from 0 to 65535");
  }

  @Test
  void oneDatabaseUrlWithoutTheOtherIsRefused() {
    rejects(Map.of("CHAT_DATABASE_URL", "postgres://h/chat"), "TRADING_DATABASE_URL", "must be set too");
  }

  @Test
  void databaseUrlMustBePostgres() {
    rejects(Map.of("CHAT_DATABASE_URL", "mysql://h/chat", "TRADING_DATABASE_URL", "postgres://h/t"), "CHAT_DATABASE_URL", "postgres://");
    rejects(Map.of("CHAT_DATABASE_URL", "postgres://h/chat", "TRADING_DATABASE_URL", "postgres://h"), "TRADING_DATABASE_URL", "no database name");
  }

  @Test
  void shortJwtSecretIsRefused() {
    rejects(Map.of("JWT_SECRET", "short"), "JWT_SECRET", "at least 32 characters");
  }

  @Test
  void unknownRoleIsRefused() {
    rejects(Map.of("ROLES", "api,chef"), "ROLES", "unknown role 'chef'");
  }

  @Test
  void handlerTimeoutMustFitInsideTheVisibilityTimeout() {
    rejects(Map.of("QUEUE_HANDLER_TIMEOUT", "2m", "QUEUE_VISIBILITY_TIMEOUT", "60s"), "QUEUE_HANDLER_TIMEOUT", "shorter than QUEUE_VISIBILITY_TIMEOUT");
  }

  @Test
  void durationsNeedAUnit() {
    rejects(Map.of("QUEUE_IDLE_POLL", "5"), "QUEUE_IDLE_POLL", "duration like");
  }

  @Test
  void queueNamesAreChecked() {
    rejects(Map.of("QUEUE_NAMES", "ok,Bad-Name"), "QUEUE_NAMES", "'Bad-Name' is not a queue name");
    rejects(Map.of("QUEUE_DEAD_LETTER", "compute_signals"), "QUEUE_DEAD_LETTER", "must not be one of QUEUE_NAMES");
  }

  @Test
  void logFormatIsAChoice() {
    rejects(Map.of("LOG_FORMAT", "xml"), "LOG_FORMAT", "[auto, json, text]");
  }

  @Test
  void everySettingIsDocumentedInTheReadmeTable() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    for (String key : RawConfig.readDefaults().keySet()) {
      assertThat(readme).as("README documents %s", key).contains("| `" + key + "` |");
    }
  }
}
