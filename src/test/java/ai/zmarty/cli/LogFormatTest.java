package ai.zmarty.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.config.ZmartyConfig.LogFormat;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import net.logstash.logback.encoder.LogstashEncoder;
import org.junit.jupiter.api.Test;

/**
 * The log format: {@code auto} (the default) is readable text on a terminal and JSON elsewhere, an
 * explicit {@code json} or {@code text} wins, and the shipped {@code logback.xml} really writes
 * with the encoder that was chosen.
 */
class LogFormatTest {

  @Test
  void autoIsTextOnATerminalAndJsonElsewhere() {
    assertThat(LogFormat.AUTO.resolve(true)).isEqualTo(LogFormat.TEXT);
    assertThat(LogFormat.AUTO.resolve(false)).isEqualTo(LogFormat.JSON);
  }

  @Test
  void anExplicitFormatWinsOnATerminalAndOff() {
    for (boolean terminal : new boolean[] {true, false}) {
      assertThat(LogFormat.JSON.resolve(terminal)).isEqualTo(LogFormat.JSON);
      assertThat(LogFormat.TEXT.resolve(terminal)).isEqualTo(LogFormat.TEXT);
    }
  }

  @Test
  void theCommandsHandLogbackTheResolvedFormat() {
    String before = System.getProperty("LOG_FORMAT");
    String level = System.getProperty("LOG_LEVEL");
    try {
      // the test JVM's output is a pipe to Maven, not a terminal: auto means json here
      assertThat(Terminal.attached()).isFalse();
      Cli.config(Map.of("LOG_FORMAT", "auto"));
      assertThat(System.getProperty("LOG_FORMAT")).isEqualTo("json");
      Cli.config(Map.of("LOG_FORMAT", "text"));
      assertThat(System.getProperty("LOG_FORMAT")).isEqualTo("text");
      Cli.config(Map.of("LOG_FORMAT", "json"));
      assertThat(System.getProperty("LOG_FORMAT")).isEqualTo("json");
    } finally {
      restore("LOG_FORMAT", before);
      restore("LOG_LEVEL", level);
    }
  }

  @Test
  void jsonWritesOneJsonEventPerLine() throws Exception {
    Encoder<ch.qos.logback.classic.spi.ILoggingEvent> encoder = rootEncoder("json");
    assertThat(encoder).isInstanceOf(LogstashEncoder.class);
    String line = encode(encoder, "demo started port=8080");
    JsonObject json = new JsonObject(line.strip());
    assertThat(json.getString("message")).isEqualTo("demo started port=8080");
    assertThat(json.getString("level")).isEqualTo("INFO");
    assertThat(json.getString("app")).isEqualTo("zmarty");
    assertThat(line.strip()).doesNotContain("\n");
  }

  @Test
  void textWritesAReadableLine() throws Exception {
    Encoder<ch.qos.logback.classic.spi.ILoggingEvent> encoder = rootEncoder("text");
    assertThat(encoder).isInstanceOf(LayoutWrappingEncoder.class).isNotInstanceOf(LogstashEncoder.class);
    String line = encode(encoder, "demo started port=8080");
    assertThat(line).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  a\\.z\\.c\\.LogFormatTest demo started port=8080\\R");
  }

  private static void restore(String key, String value) {
    if (value == null) {
      System.clearProperty(key);
    } else {
      System.setProperty(key, value);
    }
  }

  /** The encoder of the root logger's appender after the shipped logback.xml is read with {@code LOG_FORMAT=format}. */
  private static Encoder<ch.qos.logback.classic.spi.ILoggingEvent> rootEncoder(String format) throws Exception {
    LoggerContext context = new LoggerContext();
    context.putProperty("LOG_FORMAT", format);
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(LogFormatTest.class.getClassLoader().getResource("logback.xml"));
    var appenders = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).iteratorForAppenders();
    assertThat(appenders.hasNext()).isTrue();
    var appender = appenders.next();
    assertThat(appenders.hasNext()).as("one appender only").isFalse();
    assertThat(appender.getName()).isEqualTo(format);
    @SuppressWarnings("unchecked")
    Encoder<ch.qos.logback.classic.spi.ILoggingEvent> encoder = ((OutputStreamAppender<ch.qos.logback.classic.spi.ILoggingEvent>) appender).getEncoder();
    return encoder;
  }

  private static String encode(Encoder<ch.qos.logback.classic.spi.ILoggingEvent> encoder, String message) {
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
    LoggingEvent event = new LoggingEvent(LogFormatTest.class.getName(), context.getLogger(LogFormatTest.class), Level.INFO, message, null, null);
    return new String(encoder.encode(event), StandardCharsets.UTF_8);
  }
}
