package ai.zmarty.cli;

import ai.zmarty.config.ConfigException;
import ai.zmarty.config.ZmartyConfig;
import ai.zmarty.db.Migrations;
import ai.zmarty.ingest.IngestVerticle;
import ai.zmarty.ops.NightlyPipeline;
import ai.zmarty.ops.NightlyText;
import ai.zmarty.ops.PipelineStore;
import ai.zmarty.ops.SystemChecks;
import ai.zmarty.queue.PgmqClient;
import ai.zmarty.winrate.WinRateVerticle;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "nightly",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the nightly pipeline once: health (abort on critical) → ingest every active pair → resolve pending signals → win rates and performance → summary.",
      "One run at a time in the whole cluster; the summary is printed and stored in pipeline_runs / pipeline_steps of database B.",
      "Exit 0 success, 1 partial, failed or refused, 2 usage error."
    })
public final class NightlyCommand implements Callable<Integer> {

  @Option(names = "--json", description = "Print the summary as one JSON object.")
  boolean json;

  @Option(names = "--url", paramLabel = "URL", description = "The node whose /healthz the health step calls (as `zmarty health --url`).")
  String url;

  @Override
  public Integer call() throws Exception {
    ZmartyConfig config;
    try {
      config = OpsSession.config(url, json);
    } catch (ConfigException e) {
      return Cli.configError(e);
    }
    try (OpsSession session = new OpsSession(config)) {
      try {
        // bounded: a database that accepts and never answers fails the run here, naming itself
        Migrations.apply(session.databases.chat(), Migrations.Target.CHAT, config.ops().nightlyDbTimeout());
        Migrations.apply(session.databases.trading(), Migrations.Target.TRADING, config.ops().nightlyDbTimeout());
      } catch (Migrations.MigrationException e) {
        System.err.println("zmarty nightly: failed before its health step: " + e.getMessage() + " (NIGHTLY_DB_TIMEOUT bounds each wait); no step ran");
        return 1;
      }
      // the workers' own job consumers, in this process: the pipeline sends them the jobs the poller would
      Clock clock = session.market.clock(Clock.systemUTC());
      session.vertx.deployVerticle(new IngestVerticle(session.trading, session.market, new PgmqClient(session.trading), clock)).await(1, TimeUnit.MINUTES);
      session.vertx.deployVerticle(new WinRateVerticle(session.trading, session.market, clock)).await(1, TimeUnit.MINUTES);
      SystemChecks checks = session.checks();
      NightlyPipeline pipeline = new NightlyPipeline(session.vertx, session.trading, checks::run, config.ops(), NightlyPipeline.nodeName(config));
      JsonObject summary;
      try {
        summary = pipeline.run("cli").await();
      } catch (PipelineStore.Refused refused) {
        System.err.println("zmarty nightly: refused: " + refused.getMessage());
        return 1;
      }
      System.out.print(json ? summary.encodePrettily() + System.lineSeparator() : NightlyText.render(summary));
      System.out.flush();
      return "success".equals(summary.getString("status")) ? 0 : 1;
    }
  }
}
