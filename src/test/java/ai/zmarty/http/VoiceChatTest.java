package ai.zmarty.http;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.testing.FakeElevenLabs;
import ai.zmarty.testing.Sql;
import ai.zmarty.testing.Sse;
import ai.zmarty.testing.TestDatabases;
import ai.zmarty.testing.TestJwt;
import ai.zmarty.testing.TestNode;
import ai.zmarty.testing.Users;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mode: voice} through the real HTTP, router, voice service and ledger: the offline analyst
 * answers, a fake ElevenLabs speaks, the audio is served from database A by any API node.
 */
@ExtendWith(VertxExtension.class)
class VoiceChatTest {
  private static TestDatabases.Pair dbs;
  private FakeElevenLabs eleven;
  private WebClient client;
  private Vertx vertx;
  @TempDir Path dataDir;

  @BeforeAll
  static void database() {
    dbs = TestDatabases.migrated();
  }

  @BeforeEach
  void fake(Vertx vertx) {
    // spoken answers are kept in database A (VOICE_STORE=database): each test starts with none
    Sql.exec(dbs.chat(), "truncate audio_cache");
    this.vertx = vertx;
    eleven = FakeElevenLabs.start(vertx);
    client = WebClient.create(vertx);
  }

  private int deploy(boolean withKey) throws Exception {
    return deploy(withKey, Map.of());
  }

  private int deploy(boolean withKey, Map<String, String> overrides) throws Exception {
    Map<String, String> env = new HashMap<>(Map.of(
        "OFFLINE_PACE", "0ms",
        "ZMARTY_DATA_DIR", dataDir.toString(),
        "ELEVENLABS_BASE_URL", eleven.baseUrl()));
    if (withKey) {
      env.put("ELEVENLABS_API_KEY", "sk_test_eleven");
    }
    env.putAll(overrides);
    return TestNode.api(vertx, dbs, env).port();
  }

  private HttpResponse<Buffer> chat(int port, UUID user, JsonObject body, boolean sse) throws Exception {
    var request = client.post(port, "127.0.0.1", "/chat").putHeader("Authorization", "Bearer " + TestJwt.valid(user));
    if (sse) {
      request.putHeader("Accept", "text/event-stream");
    }
    return request.sendJsonObject(body).await(30, TimeUnit.SECONDS);
  }

  private Sse.Event voiceChat(int port, UUID user, String message) throws Exception {
    HttpResponse<Buffer> r = chat(port, user, new JsonObject().put("message", message).put("mode", "voice"), true);
    assertThat(r.statusCode()).isEqualTo(200);
    Sse.Event last = Sse.parse(r.bodyAsString()).getLast();
    assertThat(last.name()).as(r.bodyAsString()).isEqualTo("done");
    return last;
  }

  private static String text(String sseBody) {
    List<Sse.Event> events = Sse.parse(sseBody);
    return events.stream().filter(e -> e.name().equals("token")).map(e -> e.data().getString("text")).reduce("", String::concat);
  }

  private static long voiceRows(UUID user) {
    return Sql.count(dbs.chat(), "select count(*) from credits_ledger where user_id = '" + user + "' and provider = 'elevenlabs'");
  }

  private HttpResponse<Buffer> get(int port, String path) throws Exception {
    return client.get(port, "127.0.0.1", path).send().await(10, TimeUnit.SECONDS);
  }

  @Test
  void aVoiceAnswerCarriesAnAudioUrlServingTheSpokenBytesChargedAsItsOwnLedgerRow() throws Exception {
    int port = deploy(true);
    eleven.then(FakeElevenLabs.audio(FakeElevenLabs.MP3, 1234));
    UUID user = Users.create(dbs.chat(), "pro", 1000);

    HttpResponse<Buffer> r = chat(port, user, new JsonObject().put("message", "What's the signal for BTC?").put("mode", "voice"), true);
    String answer = text(r.bodyAsString());
    JsonObject done = Sse.parse(r.bodyAsString()).getLast().data();
    String requestId = done.getString("request_id");
    assertThat(done.getString("audio_url")).matches("/audio/[0-9a-f]{64}\\.mp3");
    assertThat(done.getLong("voice_characters")).isEqualTo(1234);
    assertThat(done.getLong("voice_credits_charged")).isEqualTo(3); // ceil(1234 / 1000 × 2)
    assertThat(done.containsKey("audio_error")).isFalse();

    // ElevenLabs was asked for exactly the streamed answer, in the configured voice and model
    assertThat(eleven.requests).hasSize(1);
    FakeElevenLabs.Recorded call = eleven.requests.get(0);
    assertThat(call.uri()).isEqualTo("/v1/text-to-speech/21m00Tcm4TlvDq8ikWAM?output_format=mp3_44100_128");
    assertThat(call.headers().get("xi-api-key")).isEqualTo("sk_test_eleven");
    assertThat(call.body().getString("text")).isEqualTo(answer).isNotBlank();
    assertThat(call.body().getString("model_id")).isEqualTo("eleven_multilingual_v2");
    assertThat(call.body().getJsonObject("voice_settings").getDouble("stability")).isNotNull();

    HttpResponse<Buffer> audio = get(port, done.getString("audio_url"));
    assertThat(audio.statusCode()).isEqualTo(200);
    assertThat(audio.getHeader("content-type")).isEqualTo("audio/mpeg");
    assertThat(audio.body().getBytes()).isEqualTo(FakeElevenLabs.MP3.getBytes());

    // the chat keeps its one row; the voice has its own, request id <chat>:voice
    assertThat(Sql.count(dbs.chat(), "select count(*) from credits_ledger where request_id = '" + requestId + "'")).isEqualTo(1);
    JsonObject row = new JsonObject(Sql.one(dbs.chat(), "select json_build_object('delta', delta, 'provider', provider, 'reason', reason, 'units', units)::text from credits_ledger where request_id = '" + requestId + ":voice'"));
    assertThat(row.getLong("delta")).isEqualTo(-3);
    assertThat(row.getString("provider")).isEqualTo("elevenlabs");
    assertThat(row.getString("reason")).isEqualTo("voice");
    assertThat(row.getJsonObject("units").getLong("characters")).isEqualTo(1234);
    assertThat(Users.balance(dbs.chat(), user)).isEqualTo(1000 - done.getLong("credits_charged") - 3);
    assertThat(Users.ledgerSum(dbs.chat(), user)).isEqualTo(Users.balance(dbs.chat(), user));

    // the same answer again: from the cache, no call, no second voice charge
    JsonObject again = voiceChat(port, user, "What's the signal for BTC?").data();
    assertThat(again.getString("audio_url")).isEqualTo(done.getString("audio_url"));
    assertThat(again.getBoolean("audio_cached")).isTrue();
    assertThat(again.getLong("voice_credits_charged")).isZero();
    assertThat(eleven.requests).hasSize(1);
    assertThat(voiceRows(user)).isEqualTo(1);
  }

  @Test
  void audioSpokenOnOneApiNodeIsServedByAnother() throws Exception {
    int first = deploy(true);
    int second = deploy(true);
    eleven.then(FakeElevenLabs.audio(FakeElevenLabs.MP3, 800));
    UUID user = Users.create(dbs.chat(), "pro", 1000);
    String url = voiceChat(first, user, "What's the signal for ETH?").data().getString("audio_url");
    assertThat(url).matches("/audio/[0-9a-f]{64}\\.mp3");
    HttpResponse<Buffer> elsewhere = get(second, url);
    assertThat(elsewhere.statusCode()).isEqualTo(200);
    assertThat(elsewhere.body().getBytes()).isEqualTo(FakeElevenLabs.MP3.getBytes());
    // and the other node answers the same text from the shared cache: no second call, no charge
    JsonObject again = voiceChat(second, user, "What's the signal for ETH?").data();
    assertThat(again.getBoolean("audio_cached")).isTrue();
    assertThat(eleven.requests).hasSize(1);
    assertThat(voiceRows(user)).isEqualTo(1);
  }

  @Test
  void withTheFileStoreOnlyTheNodeThatSpokeServesTheAudio() throws Exception {
    int first = deploy(true, Map.of("VOICE_STORE", "file"));
    int second = deploy(true, Map.of("VOICE_STORE", "file", "ZMARTY_DATA_DIR", dataDir.resolve("other").toString()));
    eleven.then(FakeElevenLabs.audio(FakeElevenLabs.MP3, 800));
    UUID user = Users.create(dbs.chat(), "pro", 1000);
    String url = voiceChat(first, user, "What's the signal for ETH?").data().getString("audio_url");
    assertThat(get(first, url).statusCode()).isEqualTo(200);
    assertThat(get(second, url).statusCode()).isEqualTo(404);
    assertThat(Sql.count(dbs.chat(), "select count(*) from audio_cache")).isZero();
  }

  @Test
  void withoutAKeyTheTextAnswerStandsWithANullAudioUrlAndAReason() throws Exception {
    int port = deploy(false);
    UUID user = Users.create(dbs.chat(), "pro", 1000);

    HttpResponse<Buffer> r = chat(port, user, new JsonObject().put("message", "What's the signal for BTC?").put("mode", "voice"), false);
    assertThat(r.statusCode()).isEqualTo(200);
    JsonObject body = r.bodyAsJsonObject();
    assertThat(body.getString("answer")).isNotBlank();
    assertThat(body.containsKey("audio_url")).isTrue();
    assertThat(body.getString("audio_url")).isNull();
    assertThat(body.getString("audio_error")).isEqualTo("voice is not configured");
    assertThat(eleven.requests).isEmpty();
    assertThat(voiceRows(user)).isZero();
    assertThat(Users.balance(dbs.chat(), user)).isEqualTo(1000 - body.getLong("credits_charged"));
  }

  @Test
  void aTextChatDoesNotCallElevenLabs() throws Exception {
    int port = deploy(true);
    UUID user = Users.create(dbs.chat(), "pro", 1000);
    JsonObject body = chat(port, user, new JsonObject().put("message", "hi"), false).bodyAsJsonObject();
    assertThat(body.getString("answer")).isNotBlank();
    assertThat(body.containsKey("audio_url")).isFalse();
    assertThat(eleven.requests).isEmpty();
  }

  @Test
  void anInvalidKeyLeavesTheTextAndChargesNoVoice() throws Exception {
    int port = deploy(true);
    eleven.then(FakeElevenLabs.error(401, "invalid_api_key.json"));
    UUID user = Users.create(dbs.chat(), "pro", 1000);

    JsonObject done = voiceChat(port, user, "What's the signal for ETH?").data();
    assertThat(done.getString("audio_url")).isNull();
    assertThat(done.getString("audio_error")).contains("invalid_api_key");
    assertThat(eleven.requests).hasSize(1);
    assertThat(voiceRows(user)).isZero();
    assertThat(Users.balance(dbs.chat(), user)).isEqualTo(1000 - done.getLong("credits_charged"));
  }

  @Test
  void aBusyElevenLabsIsRetriedOnceAndThenSpeaks() throws Exception {
    int port = deploy(true);
    eleven.then(FakeElevenLabs.error(429, "system_busy.json")).then(FakeElevenLabs.audio(FakeElevenLabs.MP3, 500));
    UUID user = Users.create(dbs.chat(), "pro", 1000);

    JsonObject done = voiceChat(port, user, "What's the signal for SOL?").data();
    assertThat(done.getString("audio_url")).isNotNull();
    assertThat(done.getLong("voice_credits_charged")).isEqualTo(1); // ceil(500 / 1000 × 2)
    assertThat(eleven.requests).hasSize(2);
    assertThat(voiceRows(user)).isEqualTo(1);
  }

  @Test
  void aFullConcurrencyQueueTwiceGivesUpAfterOneRetry() throws Exception {
    int port = deploy(true);
    eleven.then(FakeElevenLabs.error(429, "too_many_concurrent_requests.json")).then(FakeElevenLabs.error(429, "too_many_concurrent_requests.json"));
    UUID user = Users.create(dbs.chat(), "pro", 1000);

    JsonObject done = voiceChat(port, user, "What's the signal for BTC?").data();
    assertThat(done.getString("audio_url")).isNull();
    assertThat(done.getString("audio_error")).contains("too_many_concurrent_requests");
    assertThat(eleven.requests).hasSize(2);
    assertThat(voiceRows(user)).isZero();
  }

  @Test
  void anExceededQuotaIsNotRetriedAndChargesNoVoice() throws Exception {
    int port = deploy(true);
    eleven.then(FakeElevenLabs.error(401, "quota_exceeded.json"));
    UUID user = Users.create(dbs.chat(), "pro", 1000);

    JsonObject done = voiceChat(port, user, "What's the signal for BTC?").data();
    assertThat(done.getString("audio_url")).isNull();
    assertThat(done.getString("audio_error")).contains("quota_exceeded");
    assertThat(eleven.requests).hasSize(1);
    assertThat(voiceRows(user)).isZero();
  }

  @Test
  void aServerErrorLeavesTheTextAndChargesNoVoice() throws Exception {
    int port = deploy(true);
    eleven.then(FakeElevenLabs.error(500, "server_error.json"));
    UUID user = Users.create(dbs.chat(), "pro", 1000);

    JsonObject done = voiceChat(port, user, "What's the signal for BTC?").data();
    assertThat(done.getString("audio_url")).isNull();
    assertThat(done.getString("audio_error")).contains("internal_server_error");
    assertThat(eleven.requests).hasSize(1);
    assertThat(voiceRows(user)).isZero();
  }

  @Test
  void anUnknownModeIsRefused() throws Exception {
    int port = deploy(true);
    UUID user = Users.create(dbs.chat(), "pro", 1000);
    HttpResponse<Buffer> r = chat(port, user, new JsonObject().put("message", "hi").put("mode", "song"), false);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.bodyAsJsonObject().getString("error")).isEqualTo("bad_request");
    assertThat(Users.balance(dbs.chat(), user)).isEqualTo(1000);
  }

  @Test
  void audioIsAddressedByA64HexHashAndUnknownAudioIs404() throws Exception {
    int port = deploy(true);
    for (String bad : List.of("/audio/abc.mp3", "/audio/" + "g".repeat(64) + ".mp3", "/audio/" + "a".repeat(64) + ".wav", "/audio/..%2F..%2Fjwt-secret.mp3")) {
      HttpResponse<Buffer> r = get(port, bad);
      assertThat(r.statusCode()).as(bad).isEqualTo(400);
      assertThat(r.bodyAsJsonObject().getString("error")).isEqualTo("bad_request");
    }
    HttpResponse<Buffer> missing = get(port, "/audio/" + "a".repeat(64) + ".mp3");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.bodyAsJsonObject().getString("error")).isEqualTo("not_found");
  }

  @Test
  void voiceTheBalanceCannotPayIsNotSpokenAndTheTextStands() throws Exception {
    int port = deploy(true, Map.of("PRICE_VOICE_PER_1K_CHARS", "100000")); // 100 credits a character
    eleven.then(FakeElevenLabs.audio(FakeElevenLabs.MP3, 100));
    UUID user = Users.create(dbs.chat(), "free", 200);

    JsonObject done = voiceChat(port, user, "What's the signal for BTC?").data();
    assertThat(done.getString("audio_url")).isNull();
    assertThat(done.getString("audio_error")).contains("balance");
    assertThat(eleven.requests).isEmpty();
    assertThat(voiceRows(user)).isZero();
    assertThat(Users.balance(dbs.chat(), user)).isEqualTo(200 - done.getLong("credits_charged"));
  }
}
