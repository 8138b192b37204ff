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

// A pair a user may watch, as the Java market.Pair.watched checks it: the symbol trimmed and upper
// case, exactly BASE/QUOTE; the timeframe exactly one of the labels.
const WATCHABLE = /^[A-Z0-9]{2,15}\/[A-Z0-9]{2,10}$/;
const TIMEFRAMES = ["1m", "5m", "15m", "30m", "1h", "4h", "1d"];

/** Control characters (a NUL, say) written as a backslash-u escape, so the message can be logged and stored. */
function printable(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));
}

function pair(field: string, symbol: string, timeframe: string): { symbol: string; timeframe: string } {
  const s = symbol.trim().toUpperCase();
  if (!WATCHABLE.test(s)) {
    throw new InvalidPayload(`${field}: ` + printable(`symbol must look like BASE/QUOTE, e.g. "BTC/USDT", got "${symbol}"`));
  }
  const tf = timeframe.trim();
  if (!TIMEFRAMES.includes(tf)) {
    throw new InvalidPayload(`${field}: ` + printable(`timeframe must be one of ${TIMEFRAMES.join(", ")}, got "${timeframe}"`));
  }
  return { symbol: s, timeframe: tf };
}

function watch(payload: Record<string, unknown>, field: string): Watch {
  const row = payload[field];
  if (!isObject(row)) {
    throw new InvalidPayload(`${field} must be an object`);
  }
  const userId = uuid(row, "user_id");
  const checked = pair(field, text(row, "symbol", 32), text(row, "timeframe", 8));
  return { userId, ...checked };
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
  if (typeof payload.type !== "string") {
    throw new InvalidPayload("type must be INSERT, UPDATE or DELETE");
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
      throw new InvalidPayload(`type must be INSERT, UPDATE or DELETE, got '${payload.type}'`);
  }
}
