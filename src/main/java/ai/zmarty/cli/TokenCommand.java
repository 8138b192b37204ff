package ai.zmarty.cli;

import ai.zmarty.config.ConfigException;
import ai.zmarty.config.RawConfig;
import ai.zmarty.config.Secrets;
import ai.zmarty.config.ZmartyConfig;
import ai.zmarty.http.Tokens;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
    name = "token",
    mixinStandardHelpOptions = true,
    description = {"Prints a JWT for a user, signed with JWT_SECRET (HS256), for local use and curl."})
public final class TokenCommand implements Callable<Integer> {
  public enum Tier {
    free,
    pro,
    enterprise
  }

  @Spec CommandSpec spec;

  @Option(names = "--user", required = true, paramLabel = "UUID", description = "The user's id (the token's sub).")
  String user;

  @Option(names = "--tier", defaultValue = "free", paramLabel = "TIER", description = "free, pro or enterprise (default: ${DEFAULT-VALUE}).")
  Tier tier;

  @Option(names = "--ttl", defaultValue = "1h", paramLabel = "DURATION", description = "Lifetime, like 30m, 1h or 7d (default: ${DEFAULT-VALUE}).")
  String ttl;

  @Option(names = "--admin", description = "An operator's token (app_metadata.role admin): signs in to the admin dashboard at /admin/.")
  boolean admin;

  @Override
  public Integer call() {
    UUID id;
    try {
      id = UUID.fromString(user);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--user must be a UUID, got '" + user + "'");
    }
    Duration lifetime =
        RawConfig.parseDuration(ttl)
            .filter(d -> d.toSeconds() >= 1 && d.toDays() <= 365)
            .orElseThrow(() -> new ParameterException(spec.commandLine(), "--ttl must be a duration from 1s to 365d like 30m, 1h or 7d, got '" + ttl + "'"));
    ZmartyConfig config;
    try {
      config = Cli.config();
    } catch (ConfigException e) {
      return Cli.configError(e);
    }
    Vertx vertx = Vertx.vertx();
    try {
      System.out.println(Tokens.mint(Tokens.hs256(vertx, Secrets.jwtSecret(config)), id, tier.name(), lifetime, admin));
    } finally {
      vertx.close();
    }
    return 0;
  }
}
