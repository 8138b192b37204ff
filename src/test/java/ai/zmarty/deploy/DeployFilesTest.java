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
import org.junit.jupiter.api.extension.ExtendWith;
import ai.zmarty.testing.TestDatabases;
import ai.zmarty.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;

/**
 * deploy/ and the Supabase project files, checked by what runs here (no Docker engine): every
 * YAML, JSON and TOML file parses, the Kubernetes manifests validate against the API's schemas,
 * and every file agrees with the code: each variable it sets is a setting the configuration knows
 * (and the whole environment it gives a node is accepted), each role is valid, each port matches
 * the setting it stands for. {@link DeployProbesTest} asks real nodes for the probed paths.
 */
@ExtendWith(VertxExtension.class)
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

  @Test
  void netlifyPublishesThePagesWithEveryFileTheyLoadAndTheNodesHeaders(Vertx vertx) throws Exception {
    Netlify netlify = Netlify.load(DEPLOY);
    assertThat(netlify.command()).startsWith("./netlify-build.sh ");
    assertThat(netlify.script()).as("the build command's script").isRegularFile().isExecutable();
    assertThat(netlify.publish()).isEqualTo("site");
    String api = "https://api.zmarty.test";
    Map<String, String> env = Map.of("ZMARTY_API_BASE", api + "/", "SUPABASE_URL", "https://abc.supabase.test",
        "SUPABASE_ANON_KEY", "eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYW5vbiJ9.c2ln");
    try {
      // without the API's URL the build stops, naming the setting
      Netlify.Run missing = netlify.build(Map.of());
      assertThat(missing.exit()).isEqualTo(2);
      assertThat(missing.output()).contains("ZMARTY_API_BASE must be set");
      Netlify.Run serviceKey = netlify.build(Map.of("ZMARTY_API_BASE", api, "SUPABASE_URL", "https://abc.supabase.test",
          "SUPABASE_ANON_KEY", "eyJhbGciOiJIUzI1NiJ9." + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("{\"role\":\"service_role\"}".getBytes()) + ".c2ln"));
      assertThat(serviceKey.exit()).as("a service key never reaches a browser").isEqualTo(2);

      Netlify.Run built = netlify.build(env);
      assertThat(built.exit()).as(built.output()).isZero();
      assertThat(netlify.publishDir()).as("the publish directory after the build").isDirectory();
      Map<String, List<String>> pages = netlify.references();
      assertThat(pages).containsKeys("admin/index.html");
      int checked = 0;
      for (var page : pages.entrySet()) {
        for (String ref : page.getValue()) {
          assertThat(netlify.fileFor(ref)).as(page.getKey() + " loads " + ref).isRegularFile();
          checked++;
        }
      }
      assertThat(checked).isGreaterThanOrEqualTo(5);
      assertThat(netlify.fileFor("/webjars/uplot/1.6.30/dist/uPlot.iife.min.js")).isRegularFile();
      assertThat(Files.readString(netlify.fileFor("/config.js"))).isEqualTo(
          "window.ZMARTY_CONFIG = {\"apiBase\": \"" + api + "\", \"supabaseUrl\": \"https://abc.supabase.test\", \"supabaseAnonKey\": \"eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYW5vbiJ9.c2ln\"};\n");
      assertThat(Files.readString(netlify.publishDir().resolve("_redirects"))).isEqualTo("/eventbus/*  " + api + "/eventbus/:splat  200!\n");

      // the headers and the redirect are the ones an API node configured with the same values sends
      var headers = netlify.headers();
      TestDatabases.Pair dbs = TestDatabases.migrated();
      TestNode node = TestNode.api(vertx, dbs, Map.of("PUBLIC_API_BASE", api, "SUPABASE_URL", "https://abc.supabase.test", "SUPABASE_ANON_KEY", env.get("SUPABASE_ANON_KEY")));
      int comparedPages = 0;
      for (String page : List.of("/", "/admin/")) {
        var answer = node.client().get(node.port(), "127.0.0.1", page).send().await(15, java.util.concurrent.TimeUnit.SECONDS);
        if (answer.statusCode() != 200) {
          continue; // a page this node does not serve (yet)
        }
        comparedPages++;
        assertThat(headers).as("_headers has " + page).containsKey(page);
        assertThat(headers.get(page).get("content-security-policy")).as(page).isEqualTo(answer.getHeader("content-security-policy"));
        assertThat(headers.get("/*").get("x-content-type-options")).isEqualTo(answer.getHeader("x-content-type-options"));
      }
      assertThat(comparedPages).as("/admin/ at least").isPositive();
      var redirect = netlify.redirects().get(0);
      var admin = node.client().get(node.port(), "127.0.0.1", redirect.path("from").asText()).followRedirects(false).send().await(15, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(admin.statusCode()).isEqualTo(redirect.path("status").asInt());
      assertThat(admin.getHeader("location")).isEqualTo(redirect.path("to").asText());
    } finally {
      try (Stream<Path> files = Files.exists(netlify.publishDir()) ? Files.walk(netlify.publishDir()) : Stream.empty()) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
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
