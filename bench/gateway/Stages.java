// Reads a JFR recording made with JDK 25's CPU-time sampler (jdk.CPUTimeSample) on a gateway node
// and prints, as one JSON object, the sampled CPU milliseconds of each stage of a streamed chat:
//   {"stages": {"JWT": 12.0, ...}, "sampledMs": …, "lostSamples": …, "samples": …}
// Run with a JDK 25: java bench/gateway/Stages.java recording.jfr
//
// A sample belongs to the stage of the frame of ours nearest the leaf (the code that asked for the
// work: a JWT check, an SSE frame, a ledger statement); Micrometer or logback nearer the leaf than
// any frame of ours make it metrics or logging. A sample with no frame of ours goes by the library
// nearest the leaf: the
// PostgreSQL client decoding replies, the HTTP server or client, the event bus, the event loop's
// wait and wake-ups, else "Netty/Vert.x/JDK other".
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

public class Stages {
  /** Classes of ours by name prefix (after "ai.zmarty."), most specific first. */
  private static final List<String[]> OURS = List.of(
      new String[] {"http.Authenticator", "JWT check"},
      new String[] {"http.JwtClaims", "JWT check"},
      new String[] {"http.Tokens", "JWT check"},
      new String[] {"http.SseWriter", "SSE frames to the client"},
      new String[] {"http.Framing", "SSE frames to the client"},
      new String[] {"http.Limits", "limits (rate, streams)"},
      new String[] {"limit.", "limits (rate, streams)"},
      new String[] {"http.ChatTurnStore", "session and turn"},
      new String[] {"session.", "session and turn"},
      new String[] {"http.", "chat request and exchange (HTTP side)"},
      new String[] {"router.providers.", "provider request and stream parsing"},
      new String[] {"router.ModelProvider", "provider request and stream parsing"},
      new String[] {"router.AnswerStream", "answer stream (tokens onto the bus)"},
      new String[] {"router.StreamEvent", "answer stream (tokens onto the bus)"},
      new String[] {"router.ChatLog", "answer stream (tokens onto the bus)"},
      new String[] {"router.ChatPreparer", "context and prompt"},
      new String[] {"router.ChatContext", "context and prompt"},
      new String[] {"router.KeptReads", "context and prompt"},
      new String[] {"router.WatchedPairs", "context and prompt"},
      new String[] {"router.PairFacts", "context and prompt"},
      new String[] {"router.Prompt", "context and prompt"},
      new String[] {"router.TokenCounter", "context and prompt"},
      new String[] {"router.", "routing (router verticle)"},
      new String[] {"credit.", "ledger (hold, settle)"},
      new String[] {"metrics.", "metrics"},
      new String[] {"bus.", "event-bus codecs (ours)"},
      new String[] {"db.", "database pools (ours)"});

  private static final String BACKGROUND = "background (demo pipeline, queue, ops)";

  public static void main(String[] args) throws Exception {
    Map<String, Double> ms = new TreeMap<>();
    double sampled = 0;
    long samples = 0, lost = 0;
    try (RecordingFile f = new RecordingFile(Path.of(args[0]))) {
      while (f.hasMoreEvents()) {
        RecordedEvent e = f.readEvent();
        String type = e.getEventType().getName();
        if (type.equals("jdk.CPUTimeSamplesLost")) {
          lost += e.getInt("lostSamples");
        } else if (type.equals("jdk.CPUTimeSample")) {
          double period = e.getDuration("samplingPeriod").toNanos() / 1e6;
          ms.merge(stage(e), period, Double::sum);
          sampled += period;
          samples++;
        }
      }
    }
    StringBuilder out = new StringBuilder("{\"stages\": {");
    String sep = "";
    for (var s : ms.entrySet()) {
      out.append(sep).append('"').append(s.getKey()).append("\": ").append(String.format("%.1f", s.getValue()));
      sep = ", ";
    }
    out.append(String.format("}, \"sampledMs\": %.1f, \"samples\": %d, \"lostSamples\": %d}", sampled, samples, lost));
    System.out.println(out);
  }

  private static String stage(RecordedEvent e) {
    if (e.getStackTrace() == null) {
      return "no stack (failed sample)";
    }
    List<RecordedFrame> frames = e.getStackTrace().getFrames(); // leaf first
    String library = null;
    for (RecordedFrame fr : frames) {
      String type = fr.getMethod().getType().getName();
      if (type.startsWith("io.micrometer.")) {
        return "metrics";
      }
      if (type.startsWith("ch.qos.logback.") || type.startsWith("org.slf4j.")) {
        return "logging";
      }
      if (type.startsWith("ai.zmarty.")) {
        String ours = type.substring("ai.zmarty.".length());
        for (String[] rule : OURS) {
          if (ours.startsWith(rule[0])) {
            return rule[1];
          }
        }
        return BACKGROUND;
      }
      if (library == null) {
        library = library(type, fr.getMethod().getName());
      }
    }
    return library != null ? library : "Netty/Vert.x/JDK other";
  }

  /** The library a frame without any of ours belongs to, or null to look further down. */
  private static String library(String type, String method) {
    if (type.startsWith("io.vertx.pgclient.") || type.startsWith("io.vertx.sqlclient.")) {
      return "PostgreSQL client (no frame of ours)";
    }
    if (type.startsWith("io.vertx.core.http.impl.") && type.contains("Client")) {
      return "HTTP client to the provider (no frame of ours)";
    }
    if (type.startsWith("io.vertx.core.http.impl.") || type.startsWith("io.netty.handler.codec.http.")) {
      return "HTTP server (no frame of ours)";
    }
    if (type.startsWith("io.vertx.core.eventbus.") || type.startsWith("io.vertx.core.impl.eventbus.")) {
      return "event bus (no frame of ours)";
    }
    if (type.startsWith("sun.nio.ch.EPoll") || type.startsWith("sun.nio.ch.SelectorImpl")
        || type.startsWith("io.netty.channel.nio.SelectedSelectionKeySet") || method.equals("wakeup")
        || type.startsWith("io.netty.channel.epoll.Native")) {
      return "event loop wait and wake-ups";
    }
    return null;
  }
}
