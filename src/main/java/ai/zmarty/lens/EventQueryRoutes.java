package ai.zmarty.lens;

import ai.zmarty.bus.ErrorCode;
import ai.zmarty.http.Errors;
import ai.zmarty.http.Responses;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * The lens query, audit and dead-letter routes under {@code /api/v1}: a source's key sees its own
 * events only, a service-role token all. Bad filters get 400 naming each; an unknown id (or another
 * source's) 404.
 */
public final class EventQueryRoutes {
  private final IntakeCaller caller;
  private final EventQueries queries;
  private final DlqRetry retry;

  public EventQueryRoutes(IntakeCaller caller, EventQueries queries, DlqRetry retry) {
    this.caller = caller;
    this.queries = queries;
    this.retry = retry;
  }

  public void mount(Router router) {
    caller.guard(router.get("/api/v1/events")).handler(this::events);
    caller.guard(router.get("/api/v1/events/:id")).handler(rc -> one(rc, false));
    caller.guard(router.get("/api/v1/events/:id/status")).handler(rc -> one(rc, true));
    caller.guard(router.get("/api/v1/decisions")).handler(this::decisions);
    caller.guard(router.get("/api/v1/dlq")).handler(this::deadLetters);
    caller.guard(router.post("/api/v1/dlq/:id/retry")).handler(this::retry);
  }

  private void events(RoutingContext rc) {
    Optional<String> only = IntakeCaller.onlySource(rc);
    EventQueryFilters.Parsed<EventQueryFilters.Events> p = EventQueryFilters.events(params(rc));
    if (ok(rc, p)) {
      if (only.isPresent() && p.filters().source() != null && !p.filters().source().equals(only.get())) {
        Errors.send(rc, ErrorCode.FORBIDDEN, "this key belongs to source '" + only.get() + "': it reads only its own events");
        return;
      }
      Responses.respond(rc, 200, queries.events(p.filters(), only).map(EventQueries.Page::toJson));
    }
  }

  private void decisions(RoutingContext rc) {
    EventQueryFilters.Parsed<EventQueryFilters.Decisions> p = EventQueryFilters.decisions(params(rc));
    if (ok(rc, p)) {
      Responses.respond(rc, 200, queries.decisions(p.filters(), IntakeCaller.onlySource(rc)).map(EventQueries.Page::toJson));
    }
  }

  private void deadLetters(RoutingContext rc) {
    EventQueryFilters.Parsed<EventQueryFilters.DeadLetters> p = EventQueryFilters.deadLetters(params(rc));
    if (ok(rc, p)) {
      Responses.respond(rc, 200, queries.deadLetters(p.filters(), IntakeCaller.onlySource(rc)).map(EventQueries.Page::toJson));
    }
  }

  private void one(RoutingContext rc, boolean statusOnly) {
    UUID id = parsed(rc, UUID::fromString, "an event id is a UUID");
    if (id != null) {
      Optional<String> only = IntakeCaller.onlySource(rc);
      (statusOnly ? queries.status(id, only) : queries.event(id, only)).onFailure(rc::fail).onSuccess(found -> found.ifPresentOrElse(
          body -> Responses.json(rc, 200, body),
          () -> Errors.send(rc, ErrorCode.NOT_FOUND, "no event " + id + (only.isPresent() ? " of source " + only.get() : ""))));
    }
  }

  private void retry(RoutingContext rc) {
    Long id = parsed(rc, s -> {
      long n = Long.parseLong(s);
      return n > 0 ? n : null;
    }, "a dead letter id is a positive whole number");
    if (id != null) {
      Responses.respond(rc, 200, retry.retry(id, IntakeCaller.onlySource(rc)));
    }
  }

  /** The {@code :id} path parameter parsed, or null after answering 400 with {@code problem}. */
  private static <T> T parsed(RoutingContext rc, Function<String, T> parse, String problem) {
    String raw = rc.pathParam("id");
    try {
      T t = parse.apply(raw);
      if (t != null) {
        return t;
      }
    } catch (RuntimeException ignored) {
      // answered below
    }
    Errors.send(rc, ErrorCode.BAD_REQUEST, problem + ", got '" + raw + "'");
    return null;
  }

  private static boolean ok(RoutingContext rc, EventQueryFilters.Parsed<?> p) {
    if (!p.ok()) {
      Responses.json(rc, 400, new JsonObject().put("error", ErrorCode.BAD_REQUEST.wire()).put("message", p.message()).put("fields", new JsonObject(new HashMap<>(p.problems()))));
    }
    return p.ok();
  }

  /** Each query parameter once; a repeated one counts as its first value. */
  private static Map<String, String> params(RoutingContext rc) {
    Map<String, String> out = new HashMap<>();
    rc.queryParams().names().forEach(n -> out.put(n, rc.queryParams().get(n)));
    return out;
  }
}
