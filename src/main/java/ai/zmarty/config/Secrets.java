package ai.zmarty.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The JWT secret: {@code JWT_SECRET} when set; otherwise one generated once and kept (mode 600) in
 * the data directory, so a restarted demo still accepts the tokens it printed. The webhook secret
 * ({@code WEBHOOK_SECRET}) follows the same rule in its own file.
 */
public final class Secrets {
  public static final String JWT_SECRET_FILE = "jwt-secret";
  public static final String WEBHOOK_SECRET_FILE = "webhook-secret";

  private Secrets() {}

  public static String jwtSecret(ZmartyConfig config) {
    return config.auth().jwtSecret().orElseGet(() -> generatedSecret(config.database().dataDir().resolve(JWT_SECRET_FILE)));
  }

  /**
   * The HMAC key of the A→B sync webhook. Resolved on first use (then kept), so a node that never
   * signs nor verifies a delivery never creates the file.
   */
  public static Supplier<String> webhookSecret(ZmartyConfig config) {
    Optional<String> configured = config.sync().webhookSecret();
    Path file = config.database().dataDir().resolve(WEBHOOK_SECRET_FILE);
    return new Supplier<>() {
      private volatile String value;

      @Override
      public String get() {
        String v = value;
        if (v == null) {
          v = configured.orElseGet(() -> generatedSecret(file));
          value = v;
        }
        return v;
      }
    };
  }

  public static boolean isGenerated(ZmartyConfig config) {
    return config.auth().jwtSecret().isEmpty();
  }

  static synchronized String generatedSecret(Path file) {
    try {
      if (Files.exists(file)) {
        String existing = Files.readString(file, StandardCharsets.UTF_8).trim();
        if (existing.length() >= 32) {
          return existing;
        }
      }
      Files.createDirectories(file.toAbsolutePath().getParent());
      byte[] bytes = new byte[32];
      new SecureRandom().nextBytes(bytes);
      String secret = HexFormat.of().formatHex(bytes);
      Files.writeString(file, secret + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
      try {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException ignored) {
        // not a POSIX file system: nothing more to tighten
      }
      return secret;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the secret in " + file + ": " + e.getMessage(), e);
    }
  }
}
