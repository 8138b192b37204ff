package ai.zmarty.cli;

import ai.zmarty.Node;
import ai.zmarty.config.ConfigException;
import ai.zmarty.config.ZmartyConfig;
import ai.zmarty.config.Secrets;
import ai.zmarty.demo.DemoLinks;
import ai.zmarty.demo.DemoSeed;
import ai.zmarty.demo.DemoSignal;
import ai.zmarty.http.Tokens;
import ai.zmarty.lens.SourceKeys;
import io.vertx.core.Vertx;
import io.vertx.ext.auth.jwt.JWTAuth;
import java.util.Optional;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;

@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the whole system in one process on its embedded defaults.",
      "Embedded PostgreSQL under ZMARTY_DATA_DIR, every role; prints the chat app's and the admin page's URLs, signed in, first. Data survives a restart."
    })
public final class DemoCommand implements Callable<Integer> {

  @Override
  public Integer call() throws Exception {
    ZmartyConfig config;
    try {
      config = Cli.config();
    } catch (ConfigException e) {
      return Cli.configError(e);
    }
    Node node = Node.start(config, false);
    boolean created = DemoSeed.ensure(node.wiring().chatPool()).await(30, TimeUnit.SECONDS);
    String base = "http://localhost:" + node.wiring().httpPort().orElseThrow();
    Vertx vertx = Vertx.vertx();
    String token;
    DemoLinks links;
    String signalCurl;
    try {
      JWTAuth jwt = Tokens.hs256(vertx, Secrets.jwtSecret(config));
      token = Tokens.mint(jwt, DemoSeed.DEMO_USER, "pro", Duration.ofDays(7));
      // an operator's token only when the secret is this demo's own (generated under ZMARTY_DATA_DIR):
      // with a JWT_SECRET from outside it would open that deployment's admin page
      Optional<String> operator = Secrets.isGenerated(config)
          ? Optional.of(Tokens.mint(jwt, DemoSeed.DEMO_OPERATOR, "pro", Duration.ofDays(1), true))
          : Optional.empty();
      links = new DemoLinks(base, token, operator);
      // the demo source gets a new key each start: only its hash is stored, so the old one cannot be shown again
      SourceKeys.Issued source = new SourceKeys(node.wiring().tradingPool()).rotate(DemoSeed.DEMO_SOURCE).await(30, TimeUnit.SECONDS);
      // priced at the mid the enrichment worker will see, or the signal would be rejected price_drift
      try {
        signalCurl = DemoSignal.quoted(vertx, config.market(), base, source.key(), "BTC/USDT").await(30, TimeUnit.SECONDS).curl();
      } catch (Exception e) {
        signalCurl = "# no signal line: " + e.getMessage();
      }
    } finally {
      vertx.close();
    }
    System.out.println();
    links.lines().forEach(System.out::println);
    System.out.println();
    System.out.println("Zmarty demo is running at " + base);
    System.out.println((created ? "Created" : "Using") + " the demo user " + DemoSeed.DEMO_USER + " (pro, watching BTC/USDT and ETH/USDT on 1h).");
    System.out.println("Its token (valid 7 days):");
    System.out.println();
    System.out.println("  export TOKEN=" + token);
    System.out.println();
    System.out.println("Try:");
    System.out.println("  curl -s " + base + "/signals -H \"Authorization: Bearer $TOKEN\"");
    System.out.println("  curl -s " + base + "/symbols -H \"Authorization: Bearer $TOKEN\" -H 'content-type: application/json' -d '{\"symbol\":\"SOL/USDT\",\"timeframe\":\"1h\"}'");
    System.out.println("  curl -N " + base + "/chat -H \"Authorization: Bearer $TOKEN\" -H 'Accept: text/event-stream' -H 'content-type: application/json' -d '{\"message\":\"What'\\''s the signal for BTC?\"}'");
    System.out.println("  curl -s " + base + "/credits -H \"Authorization: Bearer $TOKEN\"");
    System.out.println("  curl -s " + base + "/healthz");
    System.out.println();
    System.out.println("The outside signal source '" + DemoSeed.DEMO_SOURCE + "' posts a trade signal with its key (a new key each start, stored hashed, shown only here):");
    System.out.println();
    System.out.println("  " + signalCurl);
    System.out.println();
    System.out.println("Data: " + config.database().dataDir().toAbsolutePath().normalize() + " (Ctrl-C to stop; a restart keeps it)");
    System.out.println();
    Cli.runUntilStopped(node::close);
    return 0;
  }
}
