package ai.zmarty.cli;

import ai.zmarty.config.ConfigException;
import ai.zmarty.config.ZmartyConfig;
import ai.zmarty.db.Databases;
import ai.zmarty.db.Migrations;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(
    name = "migrate",
    mixinStandardHelpOptions = true,
    description = {
      "Applies the migrations of database A (supabase/chat) and B (supabase/trading) and exits.",
      "Applied files are recorded; running again changes nothing; an edited applied file is refused."
    })
public final class MigrateCommand implements Callable<Integer> {

  @Override
  public Integer call() {
    ZmartyConfig config;
    try {
      config = Cli.config();
    } catch (ConfigException e) {
      return Cli.configError(e);
    }
    try (Databases databases = Databases.open(config.database())) {
      for (var target : Migrations.Target.values()) {
        var report = Migrations.apply(target == Migrations.Target.CHAT ? databases.chat() : databases.trading(), target);
        System.out.printf("%s: %d migration(s) applied, schema version %s%n", target.label(), report.applied(), report.version());
      }
      return 0;
    } catch (Migrations.MigrationException e) {
      System.err.println("zmarty: " + e.getMessage());
      return 1;
    }
  }
}
