// Signature and timestamp checks of the A→B sync webhook: the same rules as the Java
// ai.zmarty.sync.WebhookSignature. x-hmac-sha256 is the hex HMAC-SHA256, keyed with the shared
// secret, of "<x-zmarty-timestamp>.<raw body>"; the timestamp (unix seconds) must be within the
// tolerance of this clock in both directions.

export const TIMESTAMP_HEADER = "x-zmarty-timestamp";
export const SIGNATURE_HEADER = "x-hmac-sha256";
export const ID_HEADER = "webhook-id";

export type Verdict =
  | "valid"
  | "missing_headers"
  | "bad_timestamp"
  | "too_old"
  | "too_new"
  | "bad_signature";

export const MESSAGES: Record<Verdict, string> = {
  valid: "valid",
  missing_headers: `missing ${TIMESTAMP_HEADER} or ${SIGNATURE_HEADER} header`,
  bad_timestamp: `${TIMESTAMP_HEADER} is not a whole number of unix seconds`,
  too_old: "timestamp is older than the tolerance allows",
  too_new: "timestamp is further in the future than the tolerance allows",
  bad_signature: "signature does not match the body",
};

const encoder = new TextEncoder();

function parseHex(text: string): Uint8Array<ArrayBuffer> | null {
  if (text.length === 0 || text.length % 2 !== 0 || !/^[0-9a-fA-F]+$/.test(text)) {
    return null;
  }
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) {
    out[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
  }
  return out;
}

function signedBytes(timestamp: string, body: Uint8Array): Uint8Array<ArrayBuffer> {
  const prefix = encoder.encode(timestamp + ".");
  const data = new Uint8Array(prefix.length + body.length);
  data.set(prefix, 0);
  data.set(body, prefix.length);
  return data;
}

function hmacKey(secret: string, usage: "sign" | "verify"): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [usage]);
}

/** The x-hmac-sha256 value for body sent at timestamp (what the relay sends). */
export async function sign(secret: string, timestamp: string, body: Uint8Array): Promise<string> {
  const mac = await crypto.subtle.sign("HMAC", await hmacKey(secret, "sign"), signedBytes(timestamp, body));
  return Array.from(new Uint8Array(mac), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Checks the two headers (null when absent) against the raw body at nowSeconds. */
export async function verify(
  secret: string,
  toleranceSeconds: number,
  timestamp: string | null,
  signature: string | null,
  body: Uint8Array,
  nowSeconds: number = Math.floor(Date.now() / 1000),
): Promise<Verdict> {
  if (!timestamp?.trim() || !signature?.trim()) {
    return "missing_headers";
  }
  const ts = timestamp.trim();
  if (!/^-?\d+$/.test(ts)) {
    return "bad_timestamp";
  }
  const skew = nowSeconds - Number(ts);
  if (skew > toleranceSeconds) {
    return "too_old";
  }
  if (-skew > toleranceSeconds) {
    return "too_new";
  }
  const given = parseHex(signature.trim());
  if (given === null) {
    return "bad_signature";
  }
  // crypto.subtle.verify compares in constant time.
  const ok = await crypto.subtle.verify("HMAC", await hmacKey(secret, "verify"), given, signedBytes(ts, body));
  return ok ? "valid" : "bad_signature";
}

/** "300s", "5m", "1h" or a plain number of seconds, as WEBHOOK_TOLERANCE is written. */
export function parseSeconds(text: string | undefined, fallback: number): number {
  const m = /^(\d+)(ms|s|m|h|d)?$/.exec((text ?? "").trim().toLowerCase());
  if (!m) {
    return fallback;
  }
  const n = Number(m[1]);
  switch (m[2]) {
    case "ms":
      return Math.floor(n / 1000);
    case "m":
      return n * 60;
    case "h":
      return n * 3600;
    case "d":
      return n * 86400;
    default:
      return n;
  }
}
