package ai.zmarty.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class MigrationFilesTest {
  @Test
  void theBuildsIndexListsExactlyTheMigrationFilesOfEachDatabase() throws Exception {
    for (Migrations.Target target : Migrations.Target.values()) {
      Path folder = Path.of("supabase", target.label(), "migrations");
      java.util.List<String> onDisk;
      try (Stream<Path> files = Files.list(folder)) {
        onDisk = files.map(f -> f.getFileName().toString()).filter(n -> n.matches("\\d{14}_.+\\.sql")).map(n -> n.substring(0, 14)).sorted().toList();
      }
      assertThat(getClass().getClassLoader().getResource("supabase/" + target.label() + "/migrations.index")).as("the index of " + target).isNotNull();
      assertThat(MigrationFiles.versions(target)).as(target.label()).isNotEmpty().isEqualTo(onDisk);
      assertThat(MigrationFiles.walked("supabase/" + target.label() + "/migrations")).isEqualTo(onDisk);
      assertThat(MigrationFiles.newest(target)).isEqualTo(onDisk.get(onDisk.size() - 1));
    }
  }
}
