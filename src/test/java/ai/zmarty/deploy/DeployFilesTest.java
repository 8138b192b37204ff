package ai.zmarty.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.config.RawConfig;
import ai.zmarty.config.ZmartyConfig;
import ai.zmarty.config.ZmartyConfig.Role;
import ai.zmarty.testing.NodeTools;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * deploy/ and the Supabase project files, checked by what runs here (no Docker engine): every
 * YAML, JSON and TOML file parses, the Kubernetes manifests validate against the API's schemas,
 * and every file agrees with the code: each variable it sets is a setting the configuration knows
 * (and the whole environment it gives a node is accepted), each role is valid, each port matches
 * the setting it stands for. {@link DeployProbesTest} asks real nodes for the probed paths.
 */
class DeployFilesTest {
  static final Path DEPLOY = Path.of("deploy");
  /** Variables the files may set that are not program settings: the JVM's flags, Kubernetes' own substitution. */
  static final Set<String> NOT_SETTINGS = Set.of("JAVA_OPTS", "POD_NAMESPACE");

  static final Set<String> KNOWN = RawConfig.load(Map.of()).asMap().keySet();

  @Test
  void everyYamlJsonAndTomlFileParses() throws Exception {
    List<Path> files;
    try (Stream<Path> all = Stream.concat(Files.walk(DEPLOY), Files.walk(Path.of("supabase"), 3))) {
      files = all.filter(Files::isRegularFile).filter(f -> f.toString().matches(".*\\.(ya?ml|json|toml)$")).sorted().toList();
    }
    assertThat(files).extracting(Path::toString).contains("deploy/compose.yaml", "deploy/render.yaml", "deploy/k8s/api.yaml", "deploy/grafana/zmarty.json");
    for (Path f : files) {
      String name = f.toString();
      if (name.endsWith(".json")) {
        new ObjectMapper().readTree(f.toFile());
      } else if (name.endsWith(".toml")) {
        new TomlMapper().readTree(f.toFile());
      } else {
        assertThat(DeployYaml.documents(f)).as(name).isNotEmpty();
      }
    }
    for (String project : List.of("chat", "trading")) {
      Path dir = Path.of("supabase", project, "supabase");
      var toml = new TomlMapper().readTree(dir.resolve("config.toml").toFile());
      assertThat(toml.path("project_id").asText()).as(project).isEqualTo("zmarty-" + project);
      assertThat(toml.path("db").path("major_version").asInt()).as(project).isEqualTo(15);
      // the CLI's migrations are the very files Flyway applies
      assertThat(dir.resolve("migrations").toRealPath()).isEqualTo(Path.of("supabase", project, "migrations").toRealPath());
    }
    var trading = new TomlMapper().readTree(Path.of("supabase/trading/supabase/config.toml").toFile());
    assertThat(trading.path("functions").path("watchers-upsert").path("verify_jwt").asBoolean(true)).isFalse();
    assertThat(Path.of("supabase/trading/supabase/functions/watchers-upsert/index.ts")).exists();
  }

  @Test
  void theKubernetesManifestsAreValidAgainstTheApiSchemas() throws Exception {
    NodeTools.Run r = NodeTools.node("validate-k8s.mjs", 120, DEPLOY.resolve("k8s").toAbsolutePath().toString());
    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(r.output()).contains("ok   api.yaml Deployment/zmarty-api", "ok   worker.yaml Deployment/zmarty-worker", "worker-hpa.yaml HorizontalPodAutoscaler", "0 invalid");
  }

  @Test
  void composeGivesEachNodeAConfigurationTheProgramAccepts() throws Exception {
    Map<String, Object> compose = DeployYaml.map(DEPLOY.resolve("compose.yaml"));
    Map<String, Object> services = DeployYaml.child(compose, "services");
    List<String> nodes = new ArrayList<>();
    Map<String, ZmartyConfig> configs = new HashMap<>();
    for (var e : services.entrySet()) {
      Map<String, Object> service = DeployYaml.cast(e.getValue());
      if (!"zmarty:local".equals(service.get("image"))) {
        continue;
      }
      nodes.add(e.getKey());
      Map<String, String> env = DeployYaml.composeEnv(DeployYaml.child(service, "environment"));
      configs.put(e.getKey(), accepted("compose " + e.getKey(), env));
      assertThat(configs.get(e.getKey()).cluster().host()).as("each node binds its own name").isEqualTo(e.getKey());
    }
    assertThat(nodes).containsExactlyInAnyOrder("api", "worker-1", "worker-2");
    assertThat(configs.get("api").roles()).containsExactly(Role.API);
    assertThat(configs.get("worker-1").roles()).contains(Role.WORKER).doesNotContain(Role.API);
    assertThat(configs.get("api").cluster().members()).containsExactlyInAnyOrder("api", "worker-1", "worker-2");
    assertThat(DeployYaml.strings(DeployYaml.child(services, "api"), "ports")).containsExactly(configs.get("api").http().port() + ":" + configs.get("api").http().port());
    // Prometheus scrapes the API beside its API, the workers on METRICS_PORT
    String prometheus = Files.readString(DEPLOY.resolve("prometheus/prometheus.yml"));
    assertThat(prometheus).contains("\"api:" + configs.get("api").http().port() + "\"")
        .contains("\"worker-1:" + configs.get("worker-1").metrics().port() + "\"", "\"worker-2:" + configs.get("worker-2").metrics().port() + "\"");
    assertThat(Files.readString(DEPLOY.resolve("compose.yaml"))).contains("./prometheus/alerts.yml:/etc/prometheus/alerts.yml").contains("./grafana/zmarty.json:");
  }

  @Test
  void renderGivesBothServicesAConfigurationTheProgramAccepts() throws Exception {
    Map<String, Object> render = DeployYaml.map(DEPLOY.resolve("render.yaml"));
    Map<String, String> group = new HashMap<>();
    for (Object g : DeployYaml.list(render, "envVarGroups")) {
      group.putAll(DeployYaml.renderEnv(DeployYaml.list(DeployYaml.cast(g), "envVars")));
    }
    Map<String, ZmartyConfig> byName = new HashMap<>();
    for (Object s : DeployYaml.list(render, "services")) {
      Map<String, Object> service = DeployYaml.cast(s);
      Map<String, String> env = new HashMap<>(group);
      env.putAll(DeployYaml.renderEnv(DeployYaml.list(service, "envVars")));
      byName.put((String) service.get("name"), accepted("render " + service.get("name"), env));
      assertThat(service.get("dockerfilePath")).isEqualTo("./deploy/Dockerfile");
    }
    assertThat(byName).containsOnlyKeys("orchestrator-api", "orchestrator-worker");
    assertThat(byName.get("orchestrator-api").roles()).containsExactly(Role.API);
    assertThat(byName.get("orchestrator-worker").roles()).contains(Role.WORKER).doesNotContain(Role.API);
  }

  @Test
  void kubernetesPodsGetAConfigurationTheProgramAcceptsAndPortsMatchTheirSettings() throws Exception {
    Kubernetes k8s = Kubernetes.load(DEPLOY.resolve("k8s"));
    for (String name : List.of("zmarty-api", "zmarty-worker")) {
      Kubernetes.Pod pod = k8s.pod(name);
      for (String key : pod.env().keySet()) {
        assertThat(KNOWN.contains(key) || NOT_SETTINGS.contains(key)).as(name + " sets " + key + ", which the configuration does not know").isTrue();
      }
      ZmartyConfig config = accepted(name, pod.env());
      assertThat(config.cluster().discovery()).isEqualTo(ZmartyConfig.Discovery.KUBERNETES);
      assertThat(config.cluster().serviceDns()).isEqualTo(k8s.headlessService() + ".zmarty.svc.cluster.local");
      assertThat(pod.containerPort("hazelcast")).isEqualTo(config.cluster().port());
      assertThat(k8s.headlessSelects(pod)).as("the headless Service finds " + name).isTrue();
      if (config.roles().contains(Role.API)) {
        assertThat(pod.containerPort("http")).isEqualTo(config.http().port());
      } else {
        assertThat(pod.containerPort("metrics")).isEqualTo(config.metrics().port());
      }
      for (Kubernetes.Probe probe : pod.probes()) {
        assertThat(pod.containerPort(probe.port())).as(name + " probes a port it declares").isPositive();
        if (probe.path() != null) {
          assertThat(DeployProbesTest.servedPaths(config.roles().contains(Role.API))).as(name + " probe path").contains(probe.path());
        }
      }
    }
    assertThat(k8s.kinds()).contains("Deployment", "Service", "PodDisruptionBudget", "HorizontalPodAutoscaler", "ConfigMap");
    assertThat(k8s.secretsInKustomization()).as("the Secret is a template only, never applied from the repository").isEmpty();
  }

  @Test
  void theDockerfileRunsANonRootNodeWithAHealthCheckOnKnownSettings() throws Exception {
    String docker = Files.readString(DEPLOY.resolve("Dockerfile"));
    Map<String, String> env = DeployYaml.dockerEnv(docker);
    for (String key : env.keySet()) {
      assertThat(KNOWN.contains(key) || NOT_SETTINGS.contains(key)).as("Dockerfile sets " + key).isTrue();
    }
    ZmartyConfig config = accepted("Dockerfile", env);
    assertThat(docker).containsPattern("(?m)^FROM eclipse-temurin:21-jdk AS build").containsPattern("(?m)^FROM eclipse-temurin:21-jre$")
        .contains("./mvnw -B -q -DskipTests package").containsPattern("(?m)^USER 10001$").contains("HEALTHCHECK").contains("GET /healthz");
    assertThat(docker).containsPattern("(?m)^EXPOSE " + config.http().port() + " " + config.metrics().port() + " " + config.cluster().port() + "$");
    assertThat(Files.readString(Path.of(".dockerignore"))).contains("target").contains("node_modules");
  }

  /** The configuration the program builds from {@code env} (plus placeholders for secrets a file leaves to the operator). */
  static ZmartyConfig accepted(String where, Map<String, String> env) {
    for (String key : env.keySet()) {
      assertThat(KNOWN.contains(key) || NOT_SETTINGS.contains(key)).as(where + " sets " + key + ", which the configuration does not know").isTrue();
    }
    Map<String, String> all = new HashMap<>(env);
    all.keySet().removeAll(NOT_SETTINGS);
    return ZmartyConfig.from(RawConfig.load(all));
  }
}
