package ai.zmarty.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;

/**
 * Issue 15 goal 3: one event to {@code SUBSCRIBERS} (10,000) subscribers of one API node over SSE
 * ({@code GET /signals/stream}), WebSocket ({@code /ws/decisions}) and the event-bus bridge
 * ({@code /eventbus/websocket}), p99 delivery under 100 ms. The node runs in a child JVM ({@link
 * FanoutServer}); the subscribers are Vert.x clients in this one. Per transport: connect every
 * subscriber, warm up until each has received an event, then {@code EVENTS} events {@code GAP_MS}
 * apart, each timed from its publish to each subscriber's receipt ({@code System.nanoTime()} on
 * both sides: Linux's monotonic clock, shared by the processes of one machine).
 * Args: subscribers (10000), events (20), gap ms (250), transports (sse,ws,bridge).
 */
public final class FanoutBench {
  private FanoutBench() {}

  public static void main(String[] args) throws Exception {
    int subscribers = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int events = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    int gapMs = args.length > 2 ? Integer.parseInt(args[2]) : 250;
    String[] transports = (args.length > 3 ? args[3] : "sse,ws,bridge").split(",");
    List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(), "-Xmx1g"));
    String nodeOpts = System.getenv("FANOUT_NODE_OPTS"); // e.g. -XX:StartFlightRecording=filename=target/fanout.jfr,settings=profile
    if (nodeOpts != null && !nodeOpts.isBlank()) {
      command.addAll(List.of(nodeOpts.trim().split("\\s+")));
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), FanoutServer.class.getName()));
    Process server = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    // read the node's stdout all the time (its log lines too): a full pipe would stall its event loops
    java.util.concurrent.BlockingQueue<String> out = new java.util.concurrent.LinkedBlockingQueue<>();
    Path nodeLog = Path.of("target", "fanout-node.log");
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
          PrintWriter log = new PrintWriter(Files.newBufferedWriter(nodeLog), true)) {
        String line;
        while ((line = r.readLine()) != null) {
          if (line.startsWith("{")) {
            log.println(line);
          } else {
            out.add(line);
          }
        }
      } catch (IOException e) {
        // the node ended
      }
      out.add("<eof>");
    }, "node-stdout");
    reader.setDaemon(true);
    reader.start();
    PrintWriter in = new PrintWriter(server.getOutputStream(), true, StandardCharsets.UTF_8);
    int port = Integer.parseInt(expect(out, "port="));
    String nodeVertx = expect(out, "vertx=");
    String user = expect(out, "user=");
    String operator = expect(out, "operator=");
    in.println("rss");
    long idleRss = Long.parseLong(expect(out, "rss_kb="));
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    System.out.printf(Locale.ROOT, "fan-out: %d subscribers per transport on one API node (%s), %d events %d ms apart; node RSS idle %d MB; load: %s%n", subscribers, nodeVertx, events, gapMs, idleRss / 1024,
        Files.readString(Path.of("/proc/loadavg")).trim());
    System.out.printf(Locale.ROOT, "%-8s %10s %14s %9s %9s %9s %9s %11s   %s%n", "via", "connect s", "delivered", "p50 ms", "p95 ms", "p99 ms", "max ms", "node RSS MB", "goal p99 < 100 ms");
    boolean ok = true;
    List<String> cpu = new java.util.ArrayList<>();
    for (String transport : transports) {
      Run run = new Run(subscribers, events);
      long t0 = System.nanoTime();
      List<Closeable> open = connect(vertx, transport, port, user, operator, subscribers, run);
      double connectS = (System.nanoTime() - t0) / 1e9;
      // warm-up: events with seq -1 until every subscriber has had one (a bridge registration has no ack)
      long warmUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (run.warm.get(0) < subscribers && System.nanoTime() < warmUntil) {
        in.println("publish " + transport + " 1 200 -1");
        expect(out, "published");
      }
      CpuMeter cpuBefore = CpuMeter.read();
      long nodeTicksBefore = CpuMeter.ticksOf(server.toHandle());
      in.println("publish " + transport + " " + events + " " + gapMs + " 0");
      expect(out, "published");
      long drainUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (run.count() < (long) subscribers * events && System.nanoTime() < drainUntil) {
        Thread.sleep(20); // polling a counter until every copy arrived or 30 s passed
      }
      CpuMeter cpuAfter = CpuMeter.read();
      cpu.add(String.format(Locale.ROOT, "%-8s CPU per event: node %.0f ms, subscribers (this JVM) %.0f ms, whole machine %.0f ms; %d cores",
          transport, (CpuMeter.ticksOf(server.toHandle()) - nodeTicksBefore) * 10.0 / events, (cpuAfter.jvmNanos() - cpuBefore.jvmNanos()) / 1e6 / events,
          (cpuAfter.machineBusyTicks() - cpuBefore.machineBusyTicks()) * 10.0 / events, Runtime.getRuntime().availableProcessors()));
      in.println("rss");
      long rss = Long.parseLong(expect(out, "rss_kb="));
      long[] sorted = run.sorted();
      double p99 = pct(sorted, 0.99);
      boolean met = sorted.length == (long) subscribers * events && p99 < 100;
      ok &= met;
      System.out.printf(Locale.ROOT, "%-8s %10.1f %14s %9.1f %9.1f %9.1f %9.1f %11d   %s%n", transport, connectS, sorted.length + "/" + (long) subscribers * events, pct(sorted, 0.5), pct(sorted, 0.95), p99,
          sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / 1e6, rss / 1024, met ? "met" : "MISSED");
      for (Closeable c : open) {
        c.close();
      }
    }
    // the floor under p99 on this machine: one event's CPU, node and subscribers, over its cores
    cpu.forEach(System.out::println);
    in.close();
    server.waitFor(30, TimeUnit.SECONDS);
    server.destroy();
    vertx.close().await(30, TimeUnit.SECONDS);
    System.exit(ok ? 0 : 1);
  }

  interface Closeable {
    void close();
  }

  /** Every delivery's latency, and how many subscribers got a warm-up event. */
  static final class Run {
    final AtomicLongArray latencies;
    final java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
    final AtomicLongArray warm = new AtomicLongArray(1);
    final boolean[] warmed;

    Run(int subscribers, int events) {
      latencies = new AtomicLongArray(subscribers * events + subscribers);
      warmed = new boolean[subscribers];
    }

    /** Scans {@code text} for {@code "seq":N … "sent_ns":T} pairs; returns where the unparsed rest begins. */
    int scan(int subscriber, String text, long now) {
      int from = 0;
      while (true) {
        int s = text.indexOf("\"seq\":", from);
        if (s < 0) {
          return from;
        }
        int t = text.indexOf("\"sent_ns\":", s);
        if (t < 0) {
          return s;
        }
        int end = t + 10;
        while (end < text.length() && Character.isDigit(text.charAt(end))) {
          end++;
        }
        if (end == text.length()) {
          return s;
        }
        int seqEnd = s + 6;
        while (seqEnd < text.length() && (text.charAt(seqEnd) == '-' || Character.isDigit(text.charAt(seqEnd)))) {
          seqEnd++;
        }
        long seq = Long.parseLong(text.substring(s + 6, seqEnd));
        long sent = Long.parseLong(text.substring(t + 10, end));
        if (seq < 0) {
          synchronized (warmed) {
            if (!warmed[subscriber]) {
              warmed[subscriber] = true;
              warm.incrementAndGet(0);
            }
          }
        } else {
          int i = next.getAndIncrement();
          if (i < latencies.length()) {
            latencies.set(i, now - sent);
          }
        }
        from = end;
      }
    }

    long count() {
      return Math.min(next.get(), latencies.length());
    }

    long[] sorted() {
      int n = (int) count();
      long[] out = new long[n];
      for (int i = 0; i < n; i++) {
        out[i] = latencies.get(i);
      }
      java.util.Arrays.sort(out);
      return out;
    }
  }

  private static List<Closeable> connect(Vertx vertx, String transport, int port, String user, String operator, int subscribers, Run run) throws Exception {
    List<Closeable> open = new ArrayList<>();
    NetClient net = vertx.createNetClient(new NetClientOptions().setConnectTimeout(60_000));
    WebSocketClient ws = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(subscribers + 10).setConnectTimeout(60_000));
    int batch = 250;
    for (int from = 0; from < subscribers; from += batch) {
      List<Future<Closeable>> pending = new ArrayList<>();
      for (int i = from; i < Math.min(subscribers, from + batch); i++) {
        int id = i;
        pending.add(switch (transport) {
          case "sse" -> sse(net, port, user, id, run);
          case "ws" -> socket(ws, port, "/ws/decisions", user, id, run, w -> w.writeTextMessage("{\"op\":\"subscribe\"}"));
          case "bridge" -> socket(ws, port, "/eventbus/websocket?token=" + operator, operator, id, run, w -> {
            w.writeTextMessage(new JsonObject().put("type", "register").put("address", FanoutServer.BRIDGE_ADDRESS)
                .put("headers", new JsonObject().put("Authorization", "Bearer " + operator)).encode());
            // the bridge closes a socket that does not ping within its ping timeout
            long timer = vertx.setPeriodic(5_000, t -> w.writeTextMessage("{\"type\":\"ping\"}"));
            w.closeHandler(v -> vertx.cancelTimer(timer));
          });
          default -> throw new IllegalArgumentException("transport must be sse, ws or bridge, got " + transport);
        });
      }
      for (Future<Closeable> f : pending) {
        open.add(f.await(120, TimeUnit.SECONDS));
      }
    }
    return open;
  }

  private static Future<Closeable> sse(NetClient net, int port, String user, int id, Run run) {
    return net.connect(port, "127.0.0.1").map(so -> {
      StringBuilder carry = new StringBuilder();
      so.handler(buf -> {
        long now = System.nanoTime();
        carry.append(buf.toString(StandardCharsets.ISO_8859_1));
        int rest = run.scan(id, carry.toString(), now);
        carry.delete(0, rest);
      });
      so.write(Buffer.buffer("GET /signals/stream?symbols=BTC HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer " + user + "\r\n\r\n"));
      return (Closeable) () -> so.close();
    });
  }

  private static Future<Closeable> socket(WebSocketClient client, int port, String uri, String token, int id, Run run, Consumer<WebSocket> opened) {
    WebSocketConnectOptions o = new WebSocketConnectOptions().setPort(port).setHost("127.0.0.1").setURI(uri);
    if (!uri.startsWith("/eventbus/")) {
      o.addHeader("Authorization", "Bearer " + token); // the bridge takes its token in the query and the frames
    }
    return client.connect(o).map(w -> {
      w.textMessageHandler(text -> {
        if (id == 0 && System.getenv("FANOUT_DEBUG") != null) {
          System.out.println("subscriber 0 got: " + text);
        }
        run.scan(id, text, System.nanoTime());
      });
      w.binaryMessageHandler(b -> run.scan(id, b.toString(StandardCharsets.UTF_8), System.nanoTime()));
      w.closeHandler(v -> {
        if (id == 0 && System.getenv("FANOUT_DEBUG") != null) {
          System.out.println("subscriber 0 closed: " + w.closeStatusCode() + " " + w.closeReason());
        }
      });
      opened.accept(w);
      return (Closeable) () -> w.close();
    });
  }

  private static String expect(java.util.concurrent.BlockingQueue<String> out, String prefix) throws InterruptedException {
    while (true) {
      String line = out.poll(10, TimeUnit.MINUTES);
      if (line == null || line.equals("<eof>")) {
        throw new IllegalStateException("the node process ended (or went silent) before printing " + prefix + "; its log: target/fanout-node.log");
      }
      if (line.startsWith(prefix)) {
        return line.substring(prefix.length());
      }
    }
  }

  static long rssKb(long pid) {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (l.startsWith("VmRSS:")) {
          return Long.parseLong(l.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException e) {
      // not Linux
    }
    return -1;
  }

  private static double pct(long[] sorted, double q) {
    return sorted.length == 0 ? Double.NaN : sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
  }
}
