package ai.zmarty.testing;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A client that writes exactly the bytes a test gives it (malformed framing, half-sent headers)
 * and reads what comes back until the server closes the connection or a deadline passes.
 */
public final class RawHttp implements AutoCloseable {
  private final Socket socket;
  private final OutputStream out;
  private final InputStream in;

  /** What the server sent, and whether it closed the connection before the deadline. */
  public record Answer(String text, boolean closed, long millis) {
    /** Every response in the text: status line, headers and body, in order. */
    public List<Response> responses() {
      List<Response> list = new ArrayList<>();
      String rest = text;
      while (rest.startsWith("HTTP/")) {
        int headEnd = rest.indexOf("\r\n\r\n");
        if (headEnd < 0) {
          break;
        }
        String head = rest.substring(0, headEnd);
        int status = Integer.parseInt(head.substring(9, 12));
        int length = 0;
        String type = null;
        for (String line : head.split("\r\n")) {
          String lower = line.toLowerCase();
          if (lower.startsWith("content-length:")) {
            length = Integer.parseInt(line.substring(15).trim());
          } else if (lower.startsWith("content-type:")) {
            type = line.substring(13).trim();
          }
        }
        int end = Math.min(rest.length(), headEnd + 4 + length);
        list.add(new Response(status, type, rest.substring(headEnd + 4, end)));
        rest = rest.substring(end);
      }
      return list;
    }

    /** The one response, failing when there is not exactly one. */
    public Response only() {
      List<Response> all = responses();
      if (all.size() != 1) {
        throw new AssertionError("expected one response, got " + all.size() + ": " + text);
      }
      return all.get(0);
    }
  }

  /** One HTTP/1.1 response. */
  public record Response(int status, String contentType, String body) {
    public JsonObject json() {
      return new JsonObject(body);
    }
  }

  public RawHttp(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setTcpNoDelay(true);
    out = socket.getOutputStream();
    in = socket.getInputStream();
  }

  /** Sends {@code raw} (ISO-8859-1, so every byte is as written) and reads until close or {@code deadlineMs}. */
  public static Answer exchange(int port, String raw, long deadlineMs) throws IOException {
    try (RawHttp c = new RawHttp(port)) {
      c.send(raw);
      return c.readUntilClosed(deadlineMs);
    }
  }

  public RawHttp send(String raw) throws IOException {
    out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    return this;
  }

  /** Reads until the server closes the connection, or {@code deadlineMs} passes (then {@code closed} is false). */
  public Answer readUntilClosed(long deadlineMs) throws IOException {
    long t0 = System.nanoTime();
    long until = t0 + deadlineMs * 1_000_000;
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    boolean closed = false;
    while (true) {
      long left = (until - System.nanoTime()) / 1_000_000;
      if (left <= 0) {
        break;
      }
      socket.setSoTimeout((int) left);
      try {
        int n = in.read(buf);
        if (n < 0) {
          closed = true;
          break;
        }
        got.write(buf, 0, n);
      } catch (SocketTimeoutException e) {
        break;
      } catch (IOException e) {
        // reset by the server: closed
        closed = true;
        break;
      }
    }
    return new Answer(got.toString(StandardCharsets.ISO_8859_1), closed, (System.nanoTime() - t0) / 1_000_000);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
