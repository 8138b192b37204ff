package ai.zmarty.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A live Server-Sent Events reader over a plain socket: sends one GET, checks the status line, then
 * a daemon thread parses events into a queue as they arrive (comments skipped). {@link #closed()}
 * turns true when the server ends the stream.
 */
public final class SseClient implements AutoCloseable {
  /** One event: its {@code id:} (or null), name and raw data line(s). */
  public record Event(String id, String name, String data) {
    public io.vertx.core.json.JsonObject json() {
      return new io.vertx.core.json.JsonObject(data);
    }
  }

  private final Socket socket;
  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final int status;
  private volatile boolean closed;

  private SseClient(Socket socket, int status) {
    this.socket = socket;
    this.status = status;
  }

  /** Opens {@code path}; the headers are read before this returns, the events afterwards in the background. */
  public static SseClient open(int port, String path, Map<String, String> headers) throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    s.setSoTimeout(30_000);
    StringBuilder req = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n");
    headers.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
    OutputStream out = s.getOutputStream();
    out.write(req.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
    String statusLine = in.readLine();
    int status = statusLine == null ? -1 : Integer.parseInt(statusLine.split(" ")[1]);
    String line;
    while ((line = in.readLine()) != null && !line.isEmpty()) {
      // headers
    }
    SseClient c = new SseClient(s, status);
    s.setSoTimeout(0);
    Thread t = new Thread(() -> c.read(in), "sse-client");
    t.setDaemon(true);
    t.start();
    return c;
  }

  public int status() {
    return status;
  }

  /** The next event within {@code wait}, or null. */
  public Event next(Duration wait) throws InterruptedException {
    return events.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
  }

  public boolean closed() {
    return closed;
  }

  private void read(BufferedReader in) {
    String id = null;
    String name = "message";
    StringBuilder data = new StringBuilder();
    try {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.isEmpty()) {
          if (!data.isEmpty()) {
            events.add(new Event(id, name, data.toString()));
          }
          id = null;
          name = "message";
          data.setLength(0);
        } else if (line.startsWith("id: ")) {
          id = line.substring(4);
        } else if (line.startsWith("event: ")) {
          name = line.substring(7);
        } else if (line.startsWith("data: ")) {
          data.append(line.substring(6));
        }
        // chunk sizes of the chunked encoding are hex lines; they never start with these prefixes
      }
    } catch (IOException e) {
      // closed under us
    } finally {
      closed = true;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
