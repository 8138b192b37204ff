package ai.zmarty.http;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.Wiring;
import ai.zmarty.testing.LogCapture;
import ai.zmarty.testing.RawHttp;
import ai.zmarty.testing.RawHttp.Answer;
import ai.zmarty.testing.RawHttp.Response;
import ai.zmarty.testing.TestDatabases;
import ai.zmarty.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.File;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The exact hostile requests of issue 9 (findings 1, 3, 4 and 8), sent byte for byte over a raw
 * socket to a real API node: each gets one JSON error with the right status, ambiguous framing
 * closes the connection, and nothing is written to disk or logged as an error.
 */
class HostileRequestsTest {
  private static Vertx vertx;
  private static int port;

  @BeforeAll
  static void node() throws Exception {
    vertx = Vertx.vertx();
    TestDatabases.Pair dbs = TestDatabases.migrated();
    Wiring w = TestNode.start(vertx, dbs.config(Map.of("ROLES", "api")), dbs.chat(), dbs.trading()).wiring();
    port = w.httpPort().orElseThrow();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static List<String> uploads() {
    String[] names = new File(BodyHandler.DEFAULT_UPLOADS_DIRECTORY).list();
    return names == null ? List.of() : Arrays.asList(names);
  }

  private static void assertJsonError(Response r, int status, String error) {
    assertThat(r.status()).as(r.toString()).isEqualTo(status);
    assertThat(r.contentType()).startsWith("application/json");
    assertThat(r.json().getString("error")).isEqualTo(error);
    assertThat(r.json().getString("message")).isNotBlank();
  }

  @Test
  void aMultipartUploadToAnUnknownRouteIs404AndWritesNoFile() throws Exception {
    // curl -X POST http://127.0.0.1:8080/no-such-route -F f=@60KB.bin
    List<String> before = uploads();
    String part = "x".repeat(60 * 1024);
    String body = "--B0undary\r\nContent-Disposition: form-data; name=\"f\"; filename=\"60KB.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        + part + "\r\n--B0undary--\r\n";
    Answer a = RawHttp.exchange(port, "POST /no-such-route HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        + "Content-Type: multipart/form-data; boundary=B0undary\r\nContent-Length: " + body.length() + "\r\n\r\n" + body, 10_000);
    assertJsonError(a.only(), 404, "not_found");
    assertThat(uploads()).isEqualTo(before);
    assertThat(new File(System.getProperty("user.dir"), "file-uploads").list()).as("no upload directory in the working directory").isNullOrEmpty();
  }

  @Test
  void contentLengthWithChunkedIsRefusedAndNothingSmuggledIsAnswered() throws Exception {
    String smuggle = "POST /symbols HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
    Answer a = RawHttp.exchange(port, smuggle, 10_000);
    assertThat(a.closed()).as("connection closed after the refusal").isTrue();
    assertJsonError(a.only(), 400, "bad_request");
  }

  @Test
  void aFoldedTransferEncodingIsRefusedAndTheConnectionClosed() throws Exception {
    Answer a = RawHttp.exchange(port, "POST /symbols HTTP/1.1\r\nHost: x\r\nTransfer-Encoding:\r\n chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", 10_000);
    assertThat(a.closed()).isTrue();
    assertJsonError(a.only(), 400, "bad_request");
  }

  @Test
  void malformedRequestsGetJsonErrorsAndNoErrorLogs() throws Exception {
    try (LogCapture logs = new LogCapture()) {
      assertJsonError(RawHttp.exchange(port, "POST /symbols HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nabc", 10_000).only(), 400, "bad_request");
      Answer pct = RawHttp.exchange(port, "GET /x/%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 10_000);
      assertJsonError(pct.only(), 400, "bad_request");
      assertJsonError(RawHttp.exchange(port, "POST /symbols HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n", 10_000).only(), 400, "bad_request");
      assertJsonError(RawHttp.exchange(port, "POST /symbols HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n26;ext=1\r\n" + "a".repeat(38) + "\r\n0\r\n\r\n", 10_000).only(), 400, "bad_request");
      assertJsonError(RawHttp.exchange(port, "GET /" + "a".repeat(4200) + " HTTP/1.1\r\nHost: x\r\n\r\n", 10_000).only(), 414, "uri_too_long");
      assertJsonError(RawHttp.exchange(port, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(100 * 1024) + "\r\n\r\n", 10_000).only(), 431, "header_fields_too_large");
      String big = "{\"message\":\"" + "m".repeat(70 * 1024) + "\"}";
      assertJsonError(RawHttp.exchange(port, "POST /chat HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: " + big.length() + "\r\n\r\n" + big, 10_000).only(), 413, "payload_too_large");
      // a client that sends half a body and hangs up
      RawHttp.exchange(port, "POST /symbols HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"sym", 200);
      assertThat(logs.errorsOrTraces()).isEmpty();
    }
  }

  @Test
  void aBadQueryEscapeWithABodyIs400NotAHang() throws Exception {
    // found by HttpFuzzTest: the body handler decoded the query at the end of the body, threw, and the request never ended
    Answer a = RawHttp.exchange(port, "POST /symbols?limit=%zz HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 3\r\n\r\na=b", 10_000);
    assertThat(a.closed()).isTrue();
    assertJsonError(a.only(), 400, "bad_request");
  }

  @Test
  void aRequestTargetThatIsNotAPathIs400Not500() throws Exception {
    // found by HttpFuzzTest once the chat app added the route "/": the router fails on a target without a leading slash
    for (String target : new String[] {"?stage=enrich", "*"}) {
      Answer a = RawHttp.exchange(port, "GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 10_000);
      assertJsonError(a.only(), 400, "bad_request");
      assertThat(a.only().body()).contains("must be a path starting with /");
    }
  }

  @Test
  void aFormBodyOnAGetIs415Not500() throws Exception {
    // found by HttpFuzzTest: the body handler refuses to decode a multipart GET with an IllegalStateException (500)
    String body = "--B\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x.bin\"\r\n\r\nzz\r\n--B--\r\n";
    Answer a = RawHttp.exchange(port, "GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=B\r\nContent-Length: " + body.length() + "\r\n\r\n" + body, 10_000);
    assertJsonError(a.only(), 415, "unsupported_media_type");
  }

  @Test
  void anHttp2PrefaceIsRefusedAtOnce() throws Exception {
    Answer a = RawHttp.exchange(port, "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 5_000);
    assertThat(a.closed()).as("closed, not hanging").isTrue();
    assertThat(a.millis()).isLessThan(3_000);
    assertThat(a.text()).contains(" 501 ");
  }
}
