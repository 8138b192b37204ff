package ai.zmarty.voice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VoiceRulesTest {

  @Test
  void chargesCharactersPerThousandRoundedUp() {
    assertThat(VoicePricing.credits(1234, 2)).isEqualTo(3);
    assertThat(VoicePricing.credits(1000, 2)).isEqualTo(2);
    assertThat(VoicePricing.credits(1, 2)).isEqualTo(1);
    assertThat(VoicePricing.credits(0, 2)).isZero();
    assertThat(VoicePricing.credits(500, 0)).isZero();
  }

  @Test
  void theCacheKeyDependsOnVoiceModelAndText() {
    String h = AudioStore.hash("v", "m", "hello");
    assertThat(AudioStore.isHash(h)).isTrue();
    assertThat(h).isEqualTo(AudioStore.hash("v", "m", "hello"));
    assertThat(h).isNotEqualTo(AudioStore.hash("w", "m", "hello")).isNotEqualTo(AudioStore.hash("v", "n", "hello")).isNotEqualTo(AudioStore.hash("v", "m", "hello!"));
    // fields are separated, so shifting text between them changes the key
    assertThat(AudioStore.hash("ab", "c", "d")).isNotEqualTo(AudioStore.hash("a", "bc", "d"));
  }

  @Test
  void onlySixtyFourLowerCaseHexIsAnAudioName() {
    assertThat(AudioStore.isHash("a".repeat(64))).isTrue();
    assertThat(AudioStore.isHash("A".repeat(64))).isFalse();
    assertThat(AudioStore.isHash("a".repeat(63))).isFalse();
    assertThat(AudioStore.isHash("../" + "a".repeat(61))).isFalse();
    assertThat(AudioStore.isHash(null)).isFalse();
    assertThatThrownBy(() -> new AudioStore(Path.of("/d")).file("../x")).isInstanceOf(IllegalArgumentException.class);
    assertThat(new AudioStore(Path.of("/d")).file("b".repeat(64))).isEqualTo(Path.of("/d/audio/" + "b".repeat(64) + ".mp3"));
    assertThat(AudioStore.url("c".repeat(64))).isEqualTo("/audio/" + "c".repeat(64) + ".mp3");
  }

  @Test
  void evictsTheOldestUntilTheRestFit() {
    List<AudioStore.Entry> files = List.of(new AudioStore.Entry("new.mp3", 400, 3_000), new AudioStore.Entry("old.mp3", 400, 1_000), new AudioStore.Entry("mid.mp3", 400, 2_000));
    assertThat(AudioStore.evictions(files, 1_200)).isEmpty();
    assertThat(AudioStore.evictions(files, 1_000)).containsExactly("old.mp3");
    assertThat(AudioStore.evictions(files, 400)).containsExactly("old.mp3", "mid.mp3");
    assertThat(AudioStore.evictions(files, 0)).containsExactly("old.mp3", "mid.mp3", "new.mp3");
  }

  @Test
  void pruneRemovesTheOldestFilesOnDiskAndLeavesPartialWritesAlone(@TempDir Path data) throws Exception {
    AudioStore store = new AudioStore(data);
    Files.createDirectories(store.dir());
    String[] hashes = {"a".repeat(64), "b".repeat(64), "c".repeat(64)};
    for (int i = 0; i < hashes.length; i++) {
      Path f = store.file(hashes[i]);
      Files.write(f, new byte[400 * 1024]);
      Files.setLastModifiedTime(f, FileTime.fromMillis(1_000_000L * (i + 1)));
    }
    Path partial = store.dir().resolve(hashes[0] + ".x.tmp");
    Files.write(partial, new byte[2 * 1024 * 1024]);

    assertThat(store.prune(1024 * 1024)).isEqualTo(1);

    assertThat(store.file(hashes[0])).doesNotExist();
    assertThat(store.file(hashes[1])).exists();
    assertThat(store.file(hashes[2])).exists();
    assertThat(partial).exists();
    assertThat(store.prune(1024 * 1024)).isZero();
  }

  @Test
  void readsElevenLabsErrorDetail() {
    VoiceFailure busy = VoiceFailure.fromResponse(429, "{\"detail\":{\"status\":\"system_busy\",\"message\":\"heavy traffic\"}}");
    assertThat(busy.reason()).isEqualTo("system_busy");
    assertThat(busy.retryable()).isTrue();
    assertThat(busy.getMessage()).isEqualTo("elevenlabs system_busy: heavy traffic");
    assertThat(VoiceFailure.fromResponse(429, "{\"detail\":{\"status\":\"too_many_concurrent_requests\",\"message\":\"x\"}}").retryable()).isTrue();
    assertThat(VoiceFailure.fromResponse(401, "{\"detail\":{\"status\":\"quota_exceeded\",\"message\":\"x\"}}").retryable()).isFalse();
    assertThat(VoiceFailure.fromResponse(429, "{\"detail\":{\"status\":\"rate_limit_exceeded\",\"message\":\"x\"}}").retryable()).isFalse();
    VoiceFailure html = VoiceFailure.fromResponse(502, "<html>Bad gateway</html>");
    assertThat(html.reason()).isEqualTo("http_502");
    assertThat(VoiceFailure.fromResponse(422, "{\"detail\":\"text too long\"}").getMessage()).isEqualTo("elevenlabs http_422: text too long");
  }
}
