package ai.zmarty.voice;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Where spoken answers are kept: {@code ZMARTY_DATA_DIR/audio/<hash>.mp3}, the hash being the
 * SHA-256 of (voice, model, text), so the same answer in the same voice is synthesised once.
 * Bounded by {@code VOICE_CACHE_MAX_MB}: after each new file the oldest go until the rest fit.
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

  /** One cached file: its name, size and when it was written. */
  public record Entry(String name, long bytes, long modifiedMillis) {}

  /**
   * Which files to remove so the rest fit in {@code maxBytes}: the oldest first (ties by name, so
   * every node decides the same), and nothing when they already fit.
   */
  public static List<String> evictions(List<Entry> entries, long maxBytes) {
    long total = entries.stream().mapToLong(Entry::bytes).sum();
    List<Entry> oldestFirst = new ArrayList<>(entries);
    oldestFirst.sort(Comparator.comparingLong(Entry::modifiedMillis).thenComparing(Entry::name));
    List<String> out = new ArrayList<>();
    for (Entry e : oldestFirst) {
      if (total <= maxBytes) {
        break;
      }
      out.add(e.name());
      total -= e.bytes();
    }
    return out;
  }

  /**
   * Blocking: removes the oldest {@code .mp3} files until the folder holds at most {@code maxBytes};
   * returns how many went. Half-written {@code .tmp} files are not counted and never removed here.
   */
  public int prune(long maxBytes) throws IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    List<Entry> entries = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.mp3")) {
      for (Path f : files) {
        try {
          BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
          entries.add(new Entry(f.getFileName().toString(), a.size(), a.lastModifiedTime().toMillis()));
        } catch (NoSuchFileException gone) {
          // removed meanwhile (another prune): nothing to count
        }
      }
    }
    List<String> victims = evictions(entries, maxBytes);
    for (String name : victims) {
      Files.deleteIfExists(dir.resolve(name));
    }
    return victims.size();
  }

  /** The path the API serves {@code hash} under. */
  public static String url(String hash) {
    return "/audio/" + hash + ".mp3";
  }
}
