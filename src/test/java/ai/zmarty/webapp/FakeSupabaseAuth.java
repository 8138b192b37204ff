package ai.zmarty.webapp;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Supabase Auth (GoTrue) behind Supabase's gateway, as a browser meets it: CORS for any origin
 * (preflight included), {@code apikey} required (401 {@code {"message": "No API key found in
 * request"}} without), {@code POST /auth/v1/otp} answering 200 {@code {}} (the email is sent),
 * {@code POST /auth/v1/token?grant_type=refresh_token} answering a new session with {@link
 * #refreshWith}'s access token. Each request is recorded as {@code {path, redirect_to,
 * grant_type, apikey, body}}.
 */
final class FakeSupabaseAuth {
  final List<JsonObject> requests = new CopyOnWriteArrayList<>();
  private final HttpServer server;
  private volatile String nextAccessToken;

  private FakeSupabaseAuth(Vertx vertx) {
    server = vertx.createHttpServer().requestHandler(req -> {
      HttpServerResponse res = req.response().putHeader("access-control-allow-origin", "*");
      if (req.method() == HttpMethod.OPTIONS) {
        res.putHeader("access-control-allow-methods", "GET,HEAD,PUT,PATCH,POST,DELETE")
            .putHeader("access-control-allow-headers", "authorization,apikey,content-type,x-client-info").putHeader("access-control-max-age", "3600").end();
        return;
      }
      req.body().onSuccess(body -> {
        String apikey = req.getHeader("apikey");
        requests.add(new JsonObject().put("path", req.path()).put("redirect_to", req.getParam("redirect_to")).put("grant_type", req.getParam("grant_type")).put("apikey", apikey)
            .put("body", body.length() == 0 ? new JsonObject() : body.toJsonObject()));
        res.putHeader("content-type", "application/json");
        if (apikey == null) {
          res.setStatusCode(401).end(new JsonObject().put("message", "No API key found in request").encode());
        } else if (req.method() == HttpMethod.POST && req.path().equals("/auth/v1/otp")) {
          res.setStatusCode(200).end("{}");
        } else if (req.method() == HttpMethod.POST && req.path().equals("/auth/v1/token") && "refresh_token".equals(req.getParam("grant_type")) && nextAccessToken != null) {
          res.setStatusCode(200).end(new JsonObject().put("access_token", nextAccessToken).put("token_type", "bearer").put("expires_in", 3600)
              .put("refresh_token", "refresh-" + requests.size()).put("user", new JsonObject()).encode());
        } else if (req.path().equals("/auth/v1/token")) {
          res.setStatusCode(400).end(new JsonObject().put("code", 400).put("error_code", "refresh_token_not_found").put("msg", "Invalid Refresh Token: Refresh Token Not Found").encode());
        } else {
          res.setStatusCode(404).end(new JsonObject().put("code", 404).put("error_code", "not_found").put("msg", "Not found").encode());
        }
      });
    });
  }

  static FakeSupabaseAuth start(Vertx vertx) {
    FakeSupabaseAuth f = new FakeSupabaseAuth(vertx);
    f.server.listen(0, "127.0.0.1").await();
    return f;
  }

  /** The access token the next refresh answers with. */
  void refreshWith(String accessToken) {
    nextAccessToken = accessToken;
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort();
  }
}
