package ai.zmarty.http;

import ai.zmarty.contracts.Contracts;
import ai.zmarty.contracts.FieldProblem;
import ai.zmarty.contracts.Schema;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Request bodies checked at the edge against the contracts {@code docs/openapi.yaml} names: for
 * each operation whose {@code requestBody} refers to {@code contracts/<file>.json}, a handler on the
 * same method and path, placed before the route's own, answers 400 naming each bad field (see
 * {@link Errors#invalid}). Schemas are compiled once, when the router is built. An operation marked
 * {@code x-validated-in-handler: true} (the signed sync receiver, which must check the signature
 * over the raw bytes first) checks its body itself with {@link #contract}.
 */
final class EdgeValidation {
  private static final Logger log = LoggerFactory.getLogger(EdgeValidation.class);
  /** Where the build puts the OpenAPI document on the classpath. */
  static final String OPENAPI = "docs/openapi.yaml";
  private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");
  private static final String CONTRACT_PREFIX = "contracts/";

  private EdgeValidation() {}

  /** One operation of the OpenAPI document; {@code contract} is null when it takes no JSON body. */
  record Operation(HttpMethod method, String path, String contract, boolean inHandler) {
    /** The path as a Vert.x route: {@code /symbols/{symbol}} → {@code /symbols/:symbol}. */
    String routePath() {
      return path.replaceAll("\\{([^}/]+)}", ":$1");
    }
  }

  /** Installs a checking handler for every operation with a JSON request body. */
  static void install(Router router, Contracts contracts) {
    int n = 0;
    for (Operation op : operations(openapi())) {
      if (op.contract() != null && !op.inHandler()) {
        router.route(op.method(), op.routePath()).handler(handler(contracts.schema(op.contract())));
        n++;
      }
    }
    log.info("request bodies of {} operations are checked against their contracts", n);
  }

  /** The contract of one operation's body, for a route that checks it itself. */
  static Schema contract(Contracts contracts, HttpMethod method, String path) {
    return operations(openapi()).stream()
        .filter(op -> op.method().equals(method) && op.path().equals(path) && op.contract() != null)
        .map(op -> contracts.schema(op.contract()))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("docs/openapi.yaml has no JSON request body for " + method + " " + path));
  }

  static Handler<RoutingContext> handler(Schema schema) {
    return rc -> {
      JsonObject body = Responses.jsonBody(rc);
      if (body == null) {
        return;
      }
      List<FieldProblem> problems = schema.check(body);
      if (problems.isEmpty()) {
        rc.next();
        return;
      }
      log.info("request refused endpoint={} status=400 contract={}: {}", rc.request().path(), schema.name(), Schema.summary(problems));
      Errors.invalid(rc, problems);
    };
  }

  /** Every operation of the document, in document order. */
  static List<Operation> operations(JsonObject openapi) {
    List<Operation> out = new ArrayList<>();
    JsonObject paths = openapi.getJsonObject("paths", new JsonObject());
    for (Map.Entry<String, Object> path : paths) {
      if (!(path.getValue() instanceof JsonObject item)) {
        continue;
      }
      for (Map.Entry<String, Object> entry : item) {
        if (!METHODS.contains(entry.getKey()) || !(entry.getValue() instanceof JsonObject op)) {
          continue;
        }
        out.add(new Operation(HttpMethod.valueOf(entry.getKey().toUpperCase(Locale.ROOT)), path.getKey(), contractOf(op), op.getBoolean("x-validated-in-handler", false)));
      }
    }
    return out;
  }

  private static String contractOf(JsonObject op) {
    JsonObject json = op.getJsonObject("requestBody", new JsonObject()).getJsonObject("content", new JsonObject()).getJsonObject("application/json");
    String ref = json == null ? null : json.getJsonObject("schema", new JsonObject()).getString("$ref");
    if (ref == null || !ref.startsWith(CONTRACT_PREFIX)) {
      return null;
    }
    return ref.substring(CONTRACT_PREFIX.length());
  }

  /** The OpenAPI document the build put into the jar. */
  @SuppressWarnings("unchecked")
  static JsonObject openapi() {
    try (InputStream in = EdgeValidation.class.getClassLoader().getResourceAsStream(OPENAPI)) {
      if (in == null) {
        throw new IllegalStateException(OPENAPI + " is missing from the classpath");
      }
      return new JsonObject(new ObjectMapper(new YAMLFactory()).readValue(in, Map.class));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + OPENAPI, e);
    }
  }
}
