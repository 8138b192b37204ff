package ai.zmarty.cli;

import ai.zmarty.config.ConfigException;
import ai.zmarty.config.ZmartyConfig;
import ai.zmarty.Wiring;
import ai.zmarty.lens.EvaluationPanel;
import ai.zmarty.lens.ReplayJudge;
import ai.zmarty.lens.ReplayReport;
import ai.zmarty.lens.ReplayRun;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code zmarty lens …}: the outside-signal tools that work on database B directly. */
@Command(name = "lens", mixinStandardHelpOptions = true, description = "Outside trade signals (Lens).", subcommands = {LensCommand.Replay.class})
public final class LensCommand {

  @Command(
      name = "replay",
      mixinStandardHelpOptions = true,
      description = {
        "Judges the stored enriched payloads of signals received in [--from, --to) again and prints old against new.",
        "The models are the evaluation stage's own (offline rules, or the providers with their prompts and LENS_MODEL_TIMEOUT).",
        "Only what was stored is used (the market as it was at judging time). Exit 0 done, 1 failed, 2 usage error."
      })
  static final class Replay implements Callable<Integer> {
    /** How long one replay may run: up to 10,000 signals, four at a time. */
    static final Duration REPLAY_LIMIT = Duration.ofHours(6);

    @Option(names = "--from", required = true, paramLabel = "TIME", description = "First receive time, ISO-8601 (2026-11-30T00:00:00Z) or a UTC date.")
    String from;

    @Option(names = "--to", required = true, paramLabel = "TIME", description = "Receive time to stop before, ISO-8601 or a UTC date.")
    String to;

    @Option(names = "--models", paramLabel = "LIST", description = "Models to ask, comma-separated, as LENS_MODELS names them (default: LENS_MODELS).")
    String models;

    @Option(names = "--prompt-version", paramLabel = "VERSION", description = "Compare against the stored decisions of this prompt version only.")
    String promptVersion;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() {
      Instant start;
      Instant end;
      try {
        start = time("--from", from);
        end = time("--to", to);
      } catch (IllegalArgumentException e) {
        System.err.println("zmarty lens replay: " + e.getMessage());
        return 2;
      }
      if (!end.isAfter(start)) {
        System.err.println("zmarty lens replay: --to must be after --from");
        return 2;
      }
      ZmartyConfig config;
      try {
        // --models is LENS_MODELS for this run: the same checks (known model, its key set, its prompts)
        config = models == null ? OpsSession.config(null, true) : OpsSession.config(null, true, Map.of("LENS_MODELS", models));
      } catch (ConfigException e) {
        return Cli.configError(e);
      }
      try (OpsSession session = new OpsSession(config)) {
        EvaluationPanel panel = EvaluationPanel.of(session.vertx, config.lensEvaluate(), config.providers(), Wiring.pricing(config.chat()));
        List<ReplayRun.Compared> rows = new ReplayRun(session.trading, ReplayJudge.of(panel)).run(start, end, panel.models(), Optional.ofNullable(promptVersion))
            .await(REPLAY_LIMIT.toSeconds(), TimeUnit.SECONDS);
        System.out.print(json ? ReplayReport.json(rows).encodePrettily() + System.lineSeparator() : ReplayReport.text(rows));
        System.out.flush();
        return 0;
      } catch (Exception e) {
        System.err.println("zmarty lens replay: " + e.getMessage());
        return 1;
      }
    }

    private static Instant time(String option, String value) {
      try {
        return value.length() == 10 ? LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(value);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(option + " must be an ISO-8601 time like 2026-11-30T00:00:00Z or a date like 2026-11-30, got '" + value + "'");
      }
    }
  }
}
