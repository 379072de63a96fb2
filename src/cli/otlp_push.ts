/**
 * OTLP/HTTP JSON push: one POST per batch, retried with exponential
 * back-off on 429/502/503/504 (honouring `Retry-After`) and on connection
 * failures; any other status stops with the receiver's message.
 *
 * @module
 */
import { DataError } from "../errors.ts";
import { UsageError } from "./errors.ts";

/** What the push needs from the outside world (injected in tests). */
export interface PushIo {
  /** `fetch`, or a stand-in. */
  fetch: typeof fetch;
  /** Waits this many milliseconds. */
  sleep: (ms: number) => Promise<void>;
  /** Told about retries and partial successes. */
  warn: (message: string) => void;
  /** Shows what was told so far (before each wait). */
  flush: () => Promise<void>;
  /** How long one attempt (request and answer) may take before it counts as failed. */
  timeoutMs: number;
}

/** How long one attempt may take by default: a receiver that hangs is retried, then named. */
export const ATTEMPT_TIMEOUT_MS = 30_000;

/** Attempts per request, the first included. */
export const MAX_ATTEMPTS = 6;
const RETRYABLE = new Set([429, 502, 503, 504]);
const FIRST_BACKOFF_MS = 500;
const NO_RECEIVER =
  "no OTLP receiver at this path: give the receiver's base URL (e.g. http://localhost:4318); export adds /v1/<signal>";

/** What to do about a status that retrying cannot fix, where the status says it. */
const STATUS_FIXES: ReadonlyMap<number, string> = new Map([
  [
    401,
    "the receiver wants credentials: give them in the URL (https://user:token@host) or push through a Collector that adds them",
  ],
  [403, "the receiver refused these credentials: check the user and token in the URL"],
  [404, NO_RECEIVER],
  [405, NO_RECEIVER],
  [
    413,
    "the receiver takes smaller requests: raise its limit (the Collector's max_request_body_size) above 4 MiB",
  ],
  [
    415,
    "the receiver does not take OTLP/JSON: enable JSON on its OTLP/HTTP receiver, or push through a Collector",
  ],
]);
const MAX_WAIT_MS = 60_000;

/** The OTLP/HTTP path of a signal (`/v1/traces`, …) under a base endpoint. */
export function signalUrl(endpoint: string, signal: string): string {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new UsageError(`--endpoint: not a URL: ${endpoint} (e.g. http://localhost:4318)`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new UsageError(
      `--endpoint: expected an http:// or https:// URL, got ${endpoint} (e.g. http://localhost:4318)`,
    );
  }
  const base = url.pathname.replace(/\/+$/, "");
  const given = /\/v1\/(traces|logs|metrics)$/.exec(base);
  if (given) {
    throw new UsageError(
      `--endpoint: give the receiver's base URL, without /v1/${given[1]} (e.g. ` +
        `${shownUrl(endpoint).replace(/\/v1\/(traces|logs|metrics)\/*(?=$|[?#])/, "")}): ` +
        `export adds /v1/<signal> itself`,
    );
  }
  // Under the endpoint's path (a trailing slash or not), before its query, if any.
  url.pathname = `${base}/v1/${signal}`;
  return url.href;
}

/**
 * A URL as it may be shown (stderr, CI logs) or kept (the cursor's key):
 * without the user name and password it may carry for basic auth.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { shownUrl } from "./otlp_push.ts";
 * assert.equal(shownUrl("https://me:s3cret@otlp.example:443/v1/logs"), "https://otlp.example/v1/logs");
 * assert.equal(shownUrl("not a url"), "not a url");
 * ```
 */
export function shownUrl(text: string): string {
  try {
    const url = new URL(text);
    if (url.username === "" && url.password === "") return text;
    url.username = "";
    url.password = "";
    return url.href;
  } catch {
    return text;
  }
}

/** How long a `Retry-After` header asks to wait (seconds or an HTTP date), capped. */
export function retryAfterMs(header: string | null, nowMs: number): number | undefined {
  if (header === null) return undefined;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - nowMs;
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 0), MAX_WAIT_MS) : undefined;
}

/**
 * Posts one OTLP/JSON body; resolves once the receiver accepted it (a
 * partial success is reported through `warn`), throws after the last retry
 * or on a status that retrying cannot fix.
 */
export async function postOtlp(
  url: string,
  body: string | Uint8Array<ArrayBuffer>,
  io: PushIo,
): Promise<void> {
  const shown = shownUrl(url);
  for (let attempt = 1;; attempt++) {
    let response: Response;
    let text: string;
    // The whole attempt, the answer's body included, is timed: a receiver that accepts the
    // connection and never answers (or stops mid-answer) would otherwise hang a cron job.
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(new TimedOut(io.timeoutMs)), io.timeoutMs);
    try {
      response = await io.fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
        signal: abort.signal,
      });
      text = await response.text();
    } catch (error) {
      if (isPermissionError(error)) {
        const host = new URL(url).host;
        throw new UsageError(
          `export --endpoint needs network access to ${host}: run with --allow-net=${host}`,
        );
      }
      if (attempt >= MAX_ATTEMPTS) {
        throw new DataError(
          `cannot reach ${shown} after ${attempt} attempts: ${message(error)} (is a Collector ` +
            `listening there? nothing after the last accepted batch was recorded as sent; run again)`,
        );
      }
      await backOff(io, attempt, undefined, `cannot reach ${shown} (${message(error)})`);
      continue;
    } finally {
      clearTimeout(timer);
    }
    if (response.ok) {
      reportPartial(text, io.warn);
      return;
    }
    const said = receiverMessage(text);
    if (!RETRYABLE.has(response.status) || attempt >= MAX_ATTEMPTS) {
      const fix = RETRYABLE.has(response.status)
        ? ` (after ${attempt} attempts; run again later)`
        : STATUS_FIXES.has(response.status)
        ? ` (${STATUS_FIXES.get(response.status)})`
        : "";
      throw new DataError(
        `${shown} answered ${response.status}${said ? `: ${said}` : ""}${fix}; ` +
          `nothing after the last accepted batch was recorded as sent`,
      );
    }
    const wait = retryAfterMs(response.headers.get("retry-after"), Date.now());
    await backOff(io, attempt, wait, `${shown} answered ${response.status}`);
  }
}

async function backOff(io: PushIo, attempt: number, asked: number | undefined, why: string) {
  const ms = asked ?? Math.min(FIRST_BACKOFF_MS * 2 ** (attempt - 1), MAX_WAIT_MS);
  io.warn(`${why}; retrying in ${(ms / 1000).toFixed(1)} s (attempt ${attempt + 1})`);
  await io.flush();
  await io.sleep(ms);
}

/** The receiver's own words: an OTLP `Status.message`, else the body's start. */
function receiverMessage(text: string): string {
  try {
    const data = JSON.parse(text);
    if (typeof data?.message === "string") return data.message;
  } catch {
    // Not JSON: show the text.
  }
  return text.trim().slice(0, 500);
}

function reportPartial(text: string, warn: (m: string) => void): void {
  let partial: Record<string, unknown> | undefined;
  try {
    partial = JSON.parse(text)?.partialSuccess;
  } catch {
    return; // An empty or non-JSON 200 is a full success.
  }
  if (!partial || typeof partial !== "object") return;
  const rejected = ["rejectedSpans", "rejectedLogRecords", "rejectedDataPoints"]
    .map((k) => Number(partial[k] ?? 0)).reduce((a, b) => a + b, 0);
  if (rejected > 0 || partial.errorMessage) {
    warn(
      `receiver rejected ${rejected} item(s)${
        partial.errorMessage ? `: ${partial.errorMessage}` : ""
      }`,
    );
  }
}

function isPermissionError(error: unknown): boolean {
  const errors = Deno.errors as Record<string, unknown>;
  return [errors.NotCapable, errors.PermissionDenied].some((cls) =>
    typeof cls === "function" && error instanceof (cls as typeof Error)
  );
}

/** Why an attempt was cut short: the receiver did not answer in time. */
class TimedOut extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms / 1000} s`);
  }
}

function message(error: unknown): string {
  if (error instanceof TimedOut) return error.message;
  // fetch rejects with the abort reason, or with an AbortError wrapping it.
  if (error instanceof Error && error.cause instanceof TimedOut) return error.cause.message;
  if (!(error instanceof Error)) return String(error);
  // fetch's own words are "fetch failed"; why (refused, reset, no such host) is its cause.
  return error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message;
}
