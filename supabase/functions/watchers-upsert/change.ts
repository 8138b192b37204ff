// What one delivered user_symbols change means for B's watchers: the same rules as the Java
// ai.zmarty.sync.WatcherChange.

export interface Watch {
  userId: string;
  symbol: string;
  timeframe: string;
}

export interface WatcherChange {
  eventId: string;
  type: "INSERT" | "UPDATE" | "DELETE";
  deactivate: Watch | null;
  activate: Watch | null;
}

export class InvalidPayload extends Error {}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function uuid(obj: Record<string, unknown>, field: string): string {
  const v = obj[field];
  if (typeof v !== "string" || !UUID.test(v)) {
    throw new InvalidPayload(`${field} must be a UUID`);
  }
  return v.toLowerCase();
}

function text(obj: Record<string, unknown>, field: string, max: number): string {
  const v = obj[field];
  if (typeof v !== "string" || v.trim() === "" || v.length > max) {
    throw new InvalidPayload(`${field} must be a non-empty string of at most ${max} characters`);
  }
  return v;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function watch(payload: Record<string, unknown>, field: string): Watch {
  const row = payload[field];
  if (!isObject(row)) {
    throw new InvalidPayload(`${field} must be an object`);
  }
  return { userId: uuid(row, "user_id"), symbol: text(row, "symbol", 32), timeframe: text(row, "timeframe", 8) };
}

const same = (a: Watch, b: Watch) => a.userId === b.userId && a.symbol === b.symbol && a.timeframe === b.timeframe;

export function watcherChange(payload: unknown): WatcherChange {
  if (!isObject(payload)) {
    throw new InvalidPayload("body is not a JSON object");
  }
  const eventId = uuid(payload, "event_id");
  if (payload.table !== "user_symbols" || payload.schema !== "public") {
    throw new InvalidPayload("only changes to public.user_symbols are accepted");
  }
  switch (payload.type) {
    case "INSERT":
      return { eventId, type: "INSERT", deactivate: null, activate: watch(payload, "record") };
    case "DELETE":
      return { eventId, type: "DELETE", deactivate: watch(payload, "old_record"), activate: null };
    case "UPDATE": {
      const now = watch(payload, "record");
      const before = watch(payload, "old_record");
      return { eventId, type: "UPDATE", deactivate: same(before, now) ? null : before, activate: now };
    }
    default:
      throw new InvalidPayload("type must be INSERT, UPDATE or DELETE");
  }
}
