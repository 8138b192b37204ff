package ai.zmarty.voice;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Where spoken answers are kept: {@code ZMARTY_DATA_DIR/audio/<hash>.mp3}, the hash being the
 * SHA-256 of (voice, model, text), so the same answer in the same voice is synthesised once.
 */
public final class AudioStore {
  private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");

  private final Path dir;

  public AudioStore(Path dataDir) {
    this.dir = dataDir.resolve("audio");
  }

  public Path dir() {
    return dir;
  }

  /** The file of {@code hash}; only for a hash {@link #isHash} accepts, so no path can escape the folder. */
  public Path file(String hash) {
    if (!isHash(hash)) {
      throw new IllegalArgumentException("not an audio hash: " + hash);
    }
    return dir.resolve(hash + ".mp3");
  }

  /** 64 lower-case hex characters. */
  public static boolean isHash(String s) {
    return s != null && HASH.matcher(s).matches();
  }

  /** The cache key of {@code text} spoken by {@code voice} with {@code model}; fields are NUL-separated so no two triples collide. */
  public static String hash(String voice, String model, String text) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] digest = sha.digest((voice + "\u0000" + model + "\u0000" + text).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The path the API serves {@code hash} under. */
  public static String url(String hash) {
    return "/audio/" + hash + ".mp3";
  }
}
