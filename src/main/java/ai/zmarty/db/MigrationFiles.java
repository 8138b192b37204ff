package ai.zmarty.db;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The migration files this build carries for a database (from the classpath, whether a folder or
 * the jar), so the health check can tell whether a database is at the newest one without asking
 * Flyway to connect.
 */
public final class MigrationFiles {
  private static final Pattern FILE = Pattern.compile("(\\d{14})_[^/]+\\.sql");

  /** Listed once per process: the classpath does not change, and listing a fat jar is not free. */
  private static final java.util.Map<Migrations.Target, List<String>> LISTED = new java.util.concurrent.ConcurrentHashMap<>();

  private MigrationFiles() {}

  /** The versions (14 digits) of {@code target}'s migrations, oldest first. */
  public static List<String> versions(Migrations.Target target) {
    return LISTED.computeIfAbsent(target, MigrationFiles::list);
  }

  private static List<String> list(Migrations.Target target) {
    String folder = "supabase/" + target.label() + "/migrations";
    List<String> indexed = indexed(folder + ".index");
    return indexed != null ? indexed : walked(folder);
  }

  /**
   * The build's index of the folder (one file name a line, written at {@code process-resources}):
   * reading it costs one resource, where walking a fat jar's entries costs a tenth of a second of a
   * short command's life. Null when the classpath has no index (an IDE's build).
   */
  private static List<String> indexed(String resource) {
    try (java.io.InputStream in = MigrationFiles.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        return null;
      }
      return versionsOf(List.of(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\\R")));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource + ": " + e.getMessage(), e);
    }
  }

  static List<String> walked(String folder) {
    URL url = MigrationFiles.class.getClassLoader().getResource(folder);
    if (url == null) {
      return List.of();
    }
    List<String> names = new ArrayList<>();
    try {
      if ("jar".equals(url.getProtocol())) {
        JarURLConnection connection = (JarURLConnection) url.openConnection();
        connection.setUseCaches(false);
        try (JarFile jar = connection.getJarFile()) {
          jar.stream().map(e -> e.getName()).filter(n -> n.startsWith(folder + "/")).forEach(n -> names.add(n.substring(folder.length() + 1)));
        }
      } else {
        try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
          files.forEach(f -> names.add(f.getFileName().toString()));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + folder + ": " + e.getMessage(), e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot list " + folder + ": " + e.getMessage(), e);
    }
    return versionsOf(names);
  }

  private static List<String> versionsOf(List<String> names) {
    List<String> versions = new ArrayList<>();
    for (String n : names) {
      Matcher m = FILE.matcher(n);
      if (m.matches()) {
        versions.add(m.group(1));
      }
    }
    versions.sort(Comparator.naturalOrder());
    return List.copyOf(versions);
  }

  /** The newest version, or empty text when the build has none. */
  public static String newest(Migrations.Target target) {
    List<String> v = versions(target);
    return v.isEmpty() ? "" : v.get(v.size() - 1);
  }
}
