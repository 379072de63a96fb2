/**
 * OTLP/JSON log lines (as a Collector's `file` exporter writes them) turned
 * into execution records: Claude Code's `claude_code.api_request` events,
 * Codex's `codex.sse_event` of kind `response.completed`, and this tool's
 * own `kitty.execution` records (the round trip of `export --signal logs`).
 * Pure: a parsed line in, records out; the CLI validates and writes them.
 *
 * @module
 */
import { LOG_EVENT_NAME } from "./otlp_mapping.ts";
import { derivedEventId } from "./otlp_ids.ts";
import { plainValue } from "./otlp_values.ts";
import { isoInstantMs } from "../event/iso_time.ts";
import { InvalidInputError } from "../errors.ts";

/** Where a record came from. */
export type IngestSource = "claude" | "codex" | "kitty";

/** One record found in a dump, before validation. */
export interface IngestedRecord {
  /** Which agent's format it was read as. */
  source: IngestSource;
  /** The execution fields (payload keys plus `event_id`), as the record gives them. */
  fields: Record<string, unknown>;
  /** When it happened (RFC 3339, UTC). */
  timestamp: string;
  /** `kitty.feature` from the record or its resource, if present. */
  feature?: string;
}

/** A dump's records and how many were of other kinds. */
export interface IngestResult {
  /** Records turned into executions. */
  records: IngestedRecord[];
  /** Log records of other kinds, counted and skipped. */
  skipped: number;
}

type Attrs = Map<string, string | number | boolean>;

// The agents' own attribute names, as their monitoring docs list them. They
// are the agents' words, not our payload keys, even where they coincide.
const CLAUDE_EVENTS = new Set(["claude_code.api_request", "api_request"]);
const CODEX_EVENTS = new Set(["codex.sse_event", "sse_event"]);

/**
 * Reads one parsed `LogsData` line. Throws {@linkcode InvalidInputError}
 * for a record of a known kind whose time is missing or is no time from
 * 1970 to 9999 (never written as a malformed timestamp).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ingestLogsData } from "./otlp_ingest.ts";
 * const record = { timeUnixNano: "1767225600000000000", attributes: [
 *   { key: "event.name", value: { stringValue: "api_request" } },
 *   { key: "session.id", value: { stringValue: "s1" } },
 *   { key: "model", value: { stringValue: "claude-sonnet-4-5" } },
 *   { key: "input_tokens", value: { intValue: "10" } },
 *   { key: "output_tokens", value: { intValue: "5" } },
 * ] };
 * const out = ingestLogsData({ resourceLogs: [{ scopeLogs: [{ logRecords: [record, {}] }] }] });
 * assert.equal(out.skipped, 1);
 * assert.equal(out.records[0].source, "claude");
 * assert.equal(out.records[0].timestamp, "2026-01-01T00:00:00.000000+00:00");
 * ```
 */
export function ingestLogsData(data: unknown): IngestResult {
  const result: IngestResult = { records: [], skipped: 0 };
  for (const resourceLogs of arrayAt(data, "resourceLogs")) {
    const resource = attributes(objectAt(resourceLogs, "resource"));
    for (const scopeLogs of arrayAt(resourceLogs, "scopeLogs")) {
      for (const record of arrayAt(scopeLogs, "logRecords")) {
        const attrs = attributes(record);
        const found = readRecord(record, attrs, resource);
        if (found) result.records.push(found);
        else result.skipped++;
      }
    }
  }
  return result;
}

function readRecord(record: unknown, attrs: Attrs, resource: Attrs): IngestedRecord | undefined {
  const name = eventName(record, attrs);
  const source: IngestSource | undefined = name === LOG_EVENT_NAME
    ? "kitty"
    : name !== undefined && CLAUDE_EVENTS.has(name)
    ? "claude"
    : name !== undefined && CODEX_EVENTS.has(name) &&
        text(attrs, "event.kind") === "response.completed"
    ? "codex"
    : undefined;
  if (source === undefined) return undefined;
  const timestamp = recordTime(record, attrs);
  const feature = text(attrs, "kitty.feature") ?? text(resource, "kitty.feature");
  const base = { timestamp, ...(feature === undefined ? {} : { feature }) };
  const fields = source === "kitty"
    ? kittyFields(attrs)
    : source === "claude"
    ? claudeFields(attrs, timestamp)
    : codexFields(attrs, timestamp);
  // The record's own kitty.wp / kitty.role first, else its resource's (as kitty.feature).
  for (const [key, value] of Object.entries(attribution(resource))) fields[key] ??= value;
  if (source === "kitty" && fields.event_id === undefined) {
    // Not one of ours after all, or edited: an id from all it says, so a re-import adds nothing.
    const said = [...attrs].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0);
    fields.event_id = derivedEventId([LOG_EVENT_NAME, timestamp, JSON.stringify(said)]);
  }
  return { source, fields, ...base };
}

function claudeFields(a: Attrs, timestamp: string): Record<string, unknown> {
  const fields = Object.assign(Object.create(null), attribution(a), {
    agent: "claude",
    model: text(a, "model") ?? null,
    input_tokens: count(a, "input_tokens"),
    output_tokens: count(a, "output_tokens"),
    cache_read_tokens: count(a, "cache_read_tokens"),
    cache_write_tokens: count(a, "cache_creation_tokens"),
    cost_usd: num(a, "cost_usd") ?? null,
    duration_ms: count(a, "duration_ms") ?? 0,
  });
  fields.event_id = derivedEventId([
    "claude_code.api_request",
    text(a, "session.id") ?? "",
    String(a.get("event.sequence") ?? ""),
    text(a, "request_id") ?? "",
    timestamp,
    JSON.stringify([fields.model, fields.input_tokens, fields.output_tokens]),
  ]);
  return fields;
}

function codexFields(a: Attrs, timestamp: string): Record<string, unknown> {
  // Codex follows OpenAI: input counts the cached tokens, ours does not.
  const input = count(a, "input_token_count");
  const cached = count(a, "cached_token_count");
  const fields = Object.assign(Object.create(null), attribution(a), {
    agent: "codex",
    model: text(a, "model") ?? null,
    input_tokens: input === null ? null : Math.max(0, input - (cached ?? 0)),
    output_tokens: count(a, "output_token_count"),
    cache_read_tokens: cached,
    reasoning_tokens: count(a, "reasoning_token_count"),
    duration_ms: count(a, "duration_ms") ?? 0,
  });
  fields.event_id = derivedEventId([
    "codex.sse_event",
    text(a, "conversation.id") ?? "",
    timestamp,
    JSON.stringify([fields.model, input, fields.output_tokens, cached]),
  ]);
  return fields;
}

function kittyFields(a: Attrs): Record<string, unknown> {
  const reported = text(a, "kitty.cost_source") === "reported";
  const cacheRead = count(a, "gen_ai.usage.cache_read.input_tokens");
  const cacheWrite = count(a, "gen_ai.usage.cache_creation.input_tokens");
  return Object.assign(Object.create(null), attribution(a), {
    event_id: text(a, "kitty.event_id"),
    agent: text(a, "gen_ai.agent.name"),
    model: text(a, "gen_ai.request.model") ?? null,
    input_tokens: count(a, "kitty.input_tokens"),
    output_tokens: count(a, "gen_ai.usage.output_tokens"),
    cache_read_tokens: cacheRead,
    cache_write_tokens: cacheWrite,
    cache_write_1h_tokens: count(a, "kitty.cache_write_1h_tokens"),
    reasoning_tokens: count(a, "gen_ai.usage.reasoning.output_tokens"),
    cost_usd: reported ? num(a, "kitty.cost_usd") ?? null : null,
    duration_ms: count(a, "kitty.duration_ms") ?? 0,
    success: a.get("kitty.success") ?? true,
    exit_code: num(a, "kitty.exit_code") ?? 0,
    error: text(a, "kitty.error") ?? null,
  });
}

/** `kitty.wp` and `kitty.role` where the record (or resource) carries them. */
function attribution(a: Attrs): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null);
  const wp = text(a, "kitty.wp");
  const role = text(a, "kitty.role");
  if (wp !== undefined) out.wp_id = wp;
  if (role !== undefined) out.role = role;
  return out;
}

function eventName(record: unknown, attrs: Attrs): string | undefined {
  const direct = (record as { eventName?: unknown })?.eventName;
  if (typeof direct === "string" && direct !== "") return direct;
  const attr = text(attrs, "event.name");
  if (attr !== undefined) return attr;
  const body = plainValue((record as { body?: unknown })?.body);
  return typeof body === "string" ? body : undefined;
}

// Times are RFC 3339 with four-digit years: 1970-01-01 (OTLP's 0 means unknown) to 9999.
const NANOS_END = 253_402_300_800_000_000_000n;

/** The record's time; throws for a time field that is there but holds no instant we can write. */
function recordTime(record: unknown, attrs: Attrs): string {
  const r = record as Record<string, unknown>;
  for (const field of ["timeUnixNano", "observedTimeUnixNano"]) {
    const nanos = r?.[field];
    if (nanos === undefined || nanos === null || nanos === 0 || nanos === "0") continue;
    // Protobuf's JSON takes a 64-bit integer as a string or a number; a number of nanoseconds
    // since 1970 is past 2^53, so a double (exact to 256 ns, enough for our microseconds).
    const big = (typeof nanos === "string" && /^\d+$/.test(nanos)) ||
        (typeof nanos === "number" && Number.isInteger(nanos))
      ? BigInt(nanos)
      : -1n;
    if (big <= 0n || big >= NANOS_END) {
      throw new InvalidInputError(
        `${field}: ${JSON.stringify(nanos)} is not a time from 1970 to 9999 ` +
          `(nanoseconds since 1970 as a decimal string, as OTLP/JSON writes them)`,
      );
    }
    return isoMicros(big);
  }
  const stamp = text(attrs, "event.timestamp");
  if (stamp === undefined) {
    throw new InvalidInputError(
      "the record has no time: give it timeUnixNano, observedTimeUnixNano or event.timestamp",
    );
  }
  const ms = isoInstantMs(stamp);
  if (!(ms >= 0 && ms * 1e6 < Number(NANOS_END))) {
    throw new InvalidInputError(
      `event.timestamp: ${JSON.stringify(stamp)} is not an ISO 8601 time from 1970 to 9999 ` +
        `(like 2026-03-01T10:00:00.000Z)`,
    );
  }
  return isoMicros(BigInt(Math.round(ms * 1000)) * 1000n);
}

/** Nanoseconds since the epoch as RFC 3339 UTC with microseconds (the logs' precision). */
function isoMicros(nanos: bigint): string {
  const ms = nanos / 1_000_000n;
  const micros = (nanos / 1000n) % 1_000_000n;
  const base = new Date(Number(ms)).toISOString().slice(0, 19);
  return `${base}.${String(micros).padStart(6, "0")}+00:00`;
}

function attributes(holder: unknown): Attrs {
  const out: Attrs = new Map();
  for (const kv of arrayAt(holder, "attributes")) {
    const key = (kv as { key?: unknown }).key;
    const value = plainValue((kv as { value?: unknown }).value);
    if (typeof key === "string" && value !== undefined) out.set(key, value);
  }
  return out;
}

function text(a: Attrs, key: string): string | undefined {
  const v = a.get(key);
  return typeof v === "string" ? v : undefined;
}

function num(a: Attrs, key: string): number | undefined {
  const v = a.get(key);
  const n = typeof v === "string" && v.trim() !== "" ? Number(v) : v;
  return typeof n === "number" && Number.isFinite(n) ? n : undefined;
}

function count(a: Attrs, key: string): number | null {
  const n = num(a, key);
  return n === undefined ? null : n;
}

function arrayAt(holder: unknown, key: string): unknown[] {
  const v = (holder as Record<string, unknown> | null)?.[key];
  return Array.isArray(v) ? v : [];
}

function objectAt(holder: unknown, key: string): unknown {
  const v = (holder as Record<string, unknown> | null)?.[key];
  return typeof v === "object" && v !== null ? v : undefined;
}
