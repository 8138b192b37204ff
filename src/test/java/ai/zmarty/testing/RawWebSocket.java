package ai.zmarty.testing;

import io.vertx.core.json.JsonObject;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/**
 * A WebSocket client over a plain socket, byte by byte per RFC 6455, so a test decides exactly
 * what it answers: whether it replies to pings, whether it reads at all. Blocking; one per test thread.
 */
public final class RawWebSocket implements AutoCloseable {
  public static final int TEXT = 0x1;
  public static final int CLOSE = 0x8;
  public static final int PING = 0x9;
  public static final int PONG = 0xA;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final String status;

  /** One frame as received (server frames are not masked; fragments are not joined). */
  public record Frame(int opcode, byte[] payload) {
    public String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    public JsonObject json() {
      return new JsonObject(text());
    }

    /** The close code of a close frame (1005 when it carries none). */
    public int closeCode() {
      return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
    }

    public String closeReason() {
      return payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
    }
  }

  private RawWebSocket(Socket socket, InputStream in, OutputStream out, String status) {
    this.socket = socket;
    this.in = in;
    this.out = out;
    this.status = status;
  }

  /** Opens {@code path} on 127.0.0.1:{@code port} with these extra headers; {@link #status()} tells whether it upgraded. */
  public static RawWebSocket connect(int port, String path, Map<String, String> headers) throws IOException {
    return connect(port, path, headers, 0);
  }

  /**
   * As {@link #connect(int, String, Map)} with a fixed receive buffer of {@code receiveBuffer}
   * bytes (0: the kernel's autotuning, which may hold tens of MB), so a client that stops reading
   * makes the server's queue fill soon.
   */
  public static RawWebSocket connect(int port, String path, Map<String, String> headers, int receiveBuffer) throws IOException {
    Socket socket = new Socket();
    if (receiveBuffer > 0) {
      socket.setReceiveBufferSize(receiveBuffer);
    }
    socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 10_000);
    socket.setSoTimeout(30_000);
    byte[] nonce = new byte[16];
    RANDOM.nextBytes(nonce);
    StringBuilder req = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\nSec-WebSocket-Version: 13\r\n");
    headers.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
    req.append("\r\n");
    OutputStream out = socket.getOutputStream();
    out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    InputStream in = new BufferedInputStream(socket.getInputStream());
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.write(b);
    }
    String text = head.toString(StandardCharsets.ISO_8859_1);
    return new RawWebSocket(socket, in, out, text.isEmpty() ? "" : text.substring(0, text.indexOf("\r\n")));
  }

  /** The handshake's status line, e.g. {@code HTTP/1.1 101 Switching Protocols}. */
  public String status() {
    return status;
  }

  public boolean upgraded() {
    return status.contains(" 101 ");
  }

  public void sendText(String text) throws IOException {
    send(TEXT, text.getBytes(StandardCharsets.UTF_8));
  }

  public void sendPong(byte[] payload) throws IOException {
    send(PONG, payload);
  }

  /** A masked frame, as a client must send. */
  public synchronized void send(int opcode, byte[] payload) throws IOException {
    ByteArrayOutputStream f = new ByteArrayOutputStream();
    f.write(0x80 | opcode);
    if (payload.length < 126) {
      f.write(0x80 | payload.length);
    } else {
      f.write(0x80 | 126);
      f.write(payload.length >> 8);
      f.write(payload.length & 0xff);
    }
    byte[] mask = new byte[4];
    RANDOM.nextBytes(mask);
    f.write(mask);
    for (int i = 0; i < payload.length; i++) {
      f.write(payload[i] ^ mask[i % 4]);
    }
    out.write(f.toByteArray());
    out.flush();
  }

  /** The next frame within {@code timeout}; null when none came in time, a close frame of code 1006 when the connection ended. */
  public Frame next(Duration timeout) throws IOException {
    socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
    try {
      int b0 = in.read();
      if (b0 < 0) {
        return new Frame(CLOSE, new byte[] {(byte) (1006 >> 8), (byte) (1006 & 0xff)});
      }
      int b1 = readByte();
      long len = b1 & 0x7f;
      if (len == 126) {
        len = (readByte() << 8) | readByte();
      } else if (len == 127) {
        len = ByteBuffer.wrap(in.readNBytes(8)).getLong();
      }
      byte[] payload = in.readNBytes((int) len);
      if (payload.length < len) {
        throw new EOFException("frame cut short");
      }
      return new Frame(b0 & 0x0f, payload);
    } catch (SocketTimeoutException e) {
      return null;
    } catch (java.net.SocketException e) {
      return new Frame(CLOSE, new byte[] {(byte) (1006 >> 8), (byte) (1006 & 0xff)});
    }
  }

  /** The next text frame as JSON, answering pings on the way; fails when none comes within {@code timeout}. */
  public JsonObject nextJson(Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      Frame f = left > 0 ? next(Duration.ofNanos(left)) : null;
      if (f == null) {
        throw new AssertionError("no text frame within " + timeout);
      }
      switch (f.opcode()) {
        case TEXT -> {
          return f.json();
        }
        case PING -> sendPong(f.payload());
        case CLOSE -> throw new AssertionError("closed instead: " + f.closeCode() + " " + f.closeReason());
        default -> { }
      }
    }
  }

  /** Reads (answering pings unless told not to) until a close frame; fails when none comes within {@code timeout}. */
  public Frame awaitClose(Duration timeout, boolean answerPings) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      Frame f = left > 0 ? next(Duration.ofNanos(left)) : null;
      if (f == null) {
        throw new AssertionError("not closed within " + timeout);
      }
      if (f.opcode() == CLOSE) {
        return f;
      }
      if (f.opcode() == PING && answerPings) {
        sendPong(f.payload());
      }
    }
  }

  private int readByte() throws IOException {
    int b = in.read();
    if (b < 0) {
      throw new EOFException();
    }
    return b;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
