package ai.zmarty.http;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.contracts.Contracts;
import ai.zmarty.testing.TestDatabases;
import ai.zmarty.testing.TestNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * docs/openapi.yaml lists exactly the routes the router registers, both ways, by method and path
 * (read from a running API node's router, so a route added anywhere is covered). A route the
 * router registers without a method is either middleware on a documented path (token and role
 * checks) or a mount listed under {@code x-mounts} (SockJS bridge, static files). Every
 * {@code contracts/…} the document refers to exists, and the jar's copy is this file.
 */
@ExtendWith(VertxExtension.class)
class OpenApiRoutesTest {
  private static final Path OPENAPI = Path.of("docs/openapi.yaml");

  @SuppressWarnings("unchecked")
  static JsonObject document() throws Exception {
    return new JsonObject(new ObjectMapper(new YAMLFactory()).readValue(OPENAPI.toFile(), Map.class));
  }

  @Test
  void theDocumentListsExactlyTheRoutesTheRouterRegisters(Vertx vertx) throws Exception {
    TestNode node = TestNode.api(vertx, TestDatabases.migrated(), Map.of());
    JsonObject doc = document();
    Set<String> documented = new TreeSet<>();
    for (EdgeValidation.Operation op : EdgeValidation.operations(doc)) {
      documented.add(op.method() + " " + op.routePath());
    }
    Set<String> registered = new TreeSet<>();
    List<String> methodless = new ArrayList<>();
    for (Route r : node.wiring().httpRoutes()) {
      if (r.getPath() == null) {
        continue;
      }
      if (r.methods() == null || r.methods().isEmpty()) {
        // Vert.x gives "/admin/" for a route registered as "/admin/*"
        methodless.add(r.isExactPath() ? r.getPath() : r.getPath() + "*");
        continue;
      }
      for (HttpMethod m : r.methods()) {
        registered.add(m + " " + r.getPath());
      }
    }
    Set<String> missing = new TreeSet<>(registered);
    missing.removeAll(documented);
    Set<String> extra = new TreeSet<>(documented);
    extra.removeAll(registered);
    assertThat(missing.isEmpty() && extra.isEmpty())
        .as("docs/openapi.yaml and the router differ%n  registered but not in the document (add them under paths:, {param} for :param): %s%n  in the document but not registered: %s", missing, extra)
        .isTrue();

    Set<String> mounts = new TreeSet<>();
    doc.getJsonArray("x-mounts", new JsonArray()).forEach(m -> mounts.add(((JsonObject) m).getString("path")));
    List<String> unexplained = methodless.stream().filter(p -> !mounts.contains(p) && documented.stream().noneMatch(op -> covers(p, op.substring(op.indexOf(' ') + 1)))).distinct().toList();
    assertThat(unexplained).as("routes without a method that neither cover a documented operation (middleware) nor are listed under x-mounts: {path, description}").isEmpty();
    assertThat(registered).contains("POST /chat", "GET /healthz", "POST /hooks/watchers-upsert");
  }

  @Test
  void everyContractTheDocumentNamesExistsAndTheJarCarriesThisDocument() throws Exception {
    List<String> refs = new ArrayList<>();
    collect(document(), refs);
    assertThat(refs).isNotEmpty();
    for (String ref : refs) {
      assertThat(Path.of("docs").resolve(ref)).as(ref).exists();
      Contracts.directory(Path.of("docs/contracts")).schema(ref.substring("contracts/".length()));
    }
    try (var in = getClass().getClassLoader().getResourceAsStream(EdgeValidation.OPENAPI)) {
      assertThat(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(Files.readString(OPENAPI));
    }
  }

  /** The document is valid OpenAPI 3.1 (vertx-openapi checks it against the specification's schema) and every reference resolves. */
  @Test
  void theDocumentIsValidOpenApi31(Vertx vertx) throws Exception {
    Map<String, JsonObject> files = new java.util.HashMap<>();
    try (var list = Files.list(Path.of("docs/contracts"))) {
      for (Path f : list.filter(p -> p.toString().endsWith(".json")).toList()) {
        String absolute = new JsonObject(Files.readString(f)).encode().replaceAll("\"\\$ref\":\"(?!#|https:)", "\"\\$ref\":\"" + java.util.regex.Matcher.quoteReplacement(Contracts.BASE_URI));
        files.put(Contracts.BASE_URI + f.getFileName(), new JsonObject(absolute));
      }
    }
    // vertx-openapi resolves other files by absolute URI only: point every relative reference at its file's $id
    JsonObject doc = new JsonObject(document().encode().replace("\"$ref\":\"contracts/", "\"$ref\":\"" + Contracts.BASE_URI));
    // vertx-openapi builds request validators too and refuses media types it cannot validate (SSE, audio, HTML, JavaScript): drop those from the copy
    doc.getJsonObject("paths").forEach(path -> ((JsonObject) path.getValue()).forEach(op -> {
      if (op.getValue() instanceof JsonObject o) {
        o.getJsonObject("responses", new JsonObject()).forEach(r -> {
          if (r.getValue() instanceof JsonObject resp && resp.getJsonObject("content") != null) {
            resp.getJsonObject("content").remove("text/event-stream");
            resp.getJsonObject("content").remove("audio/mpeg");
            resp.getJsonObject("content").remove("text/html");
            resp.getJsonObject("content").remove("text/javascript");
          }
        });
      }
    }));
    io.vertx.openapi.contract.OpenAPIContract contract = io.vertx.openapi.contract.OpenAPIContract.from(vertx, doc, files).await(30, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(contract.getVersion().name()).isEqualTo("V3_1");
    assertThat(contract.getPaths()).hasSize(document().getJsonObject("paths").size());
  }

  /** Whether a route pattern ({@code /admin/*}, {@code /symbols}) matches a documented path. */
  private static boolean covers(String pattern, String path) {
    String regex = Pattern.quote(pattern).replace("*", "\\E.*\\Q");
    return path.matches(regex);
  }

  private static void collect(Object node, List<String> refs) {
    if (node instanceof JsonObject o) {
      o.forEach(e -> {
        if (e.getKey().equals("$ref") && e.getValue() instanceof String s && s.startsWith("contracts/")) {
          refs.add(s);
        } else {
          collect(e.getValue(), refs);
        }
      });
    } else if (node instanceof JsonArray a) {
      a.forEach(v -> collect(v, refs));
    }
  }
}
