/**
 * `query`'s outputs beside whole JSON lines: a readable line per event with
 * its cost (`--format table`), and JSON lines of chosen fields (`--fields`).
 *
 * @module
 */
import type { Event } from "../event/envelope.ts";
import {
  ENVELOPE_KEYS,
  EXECUTION_EVENT,
  PAYLOAD_KEYS,
  type ReadPayloadFields,
} from "../event/fields.ts";
import { readPayload } from "../event/field_checks.ts";
import { isoInstantMs } from "../event/iso_time.ts";
import { eventCost } from "../cost/estimate.ts";
import { canonicalModel } from "../cost/canonical_model.ts";
import { peopleUsd } from "../report/columns.ts";
import type { PricingTable } from "../cost/pricing.ts";
import { UsageError } from "./errors.ts";
import { didYouMean } from "./suggest.ts";

/** The field names `--fields` takes: the envelope's keys, then the payload's. */
export const QUERY_FIELDS: readonly string[] = [
  ...ENVELOPE_KEYS.filter((k) => k !== "payload"),
  ...PAYLOAD_KEYS,
];

/**
 * Parses `--fields a,b,c`: known names only (a typo is a usage error with
 * the likely name).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseFields } from "./query_format.ts";
 * assert.deepEqual(parseFields("event_id, timestamp"), ["event_id", "timestamp"]);
 * assert.throws(() => parseFields("timestmp"), /did you mean timestamp/);
 * ```
 */
export function parseFields(text: string): string[] {
  const names = text.split(",").map((n) => n.trim()).filter((n) => n !== "");
  const bad = names.find((n) => !QUERY_FIELDS.includes(n));
  if (names.length === 0 || bad !== undefined) {
    throw new UsageError(
      `--fields: unknown field ${JSON.stringify(bad ?? text)}${
        didYouMean(bad ?? text, QUERY_FIELDS)
      }; expected names from ${QUERY_FIELDS.join(", ")}`,
    );
  }
  return [...new Set(names)];
}

/**
 * One JSON line of the chosen fields (payload keys read from the payload; a
 * field the event lacks is null).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fieldsLine } from "./query_format.ts";
 * const e = { event_id: "X", payload: { wp_id: "WP01" } } as never;
 * assert.equal(fieldsLine(e, ["event_id", "wp_id", "model"]), '{"event_id":"X","wp_id":"WP01","model":null}');
 * ```
 */
export function fieldsLine(event: Event, fields: readonly string[]): string {
  const out: Record<string, unknown> = {};
  const payloadKeys: readonly string[] = PAYLOAD_KEYS;
  for (const f of fields) {
    out[f] = (payloadKeys.includes(f) ? event.payload[f] : event[f]) ?? null;
  }
  return JSON.stringify(out);
}

const count = (n: number | null) => (n ?? 0).toLocaleString("en-US");

/**
 * A readable line for an event: time (UTC, to the second), feature, work
 * package, agent, role, model, tokens, cost (`—` when unpriced) and whether
 * it succeeded. Other event types: time, feature and type.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tableLine } from "./query_format.ts";
 * import { defaultPricing } from "../cost/builtin_pricing.ts";
 * const e = { event_type: "Other", aggregate_id: "043-x", timestamp: "2026-03-02T10:00:00Z" };
 * assert.equal(tableLine(e as never, defaultPricing()), "2026-03-02 10:00:00  043-x  Other");
 * ```
 */
export function tableLine(event: Event, pricing: PricingTable): string {
  const time = new Date(isoInstantMs(event.timestamp)).toISOString().slice(0, 19).replace("T", " ");
  if (event.event_type !== EXECUTION_EVENT) {
    return `${time}  ${event.aggregate_id}  ${event.event_type}`;
  }
  const p = readPayload(event.payload).payload as unknown as ReadPayloadFields;
  const cost = eventCost(p, pricing, event.timestamp);
  const usd = cost.kind === "unpriced"
    ? "—"
    : peopleUsd(cost.units) + (cost.kind === "estimated" ? " (est.)" : "");
  const model = p.model === null ? "(no model)" : canonicalModel(pricing, p.model);
  const cache = (p.cache_read_tokens ?? 0) + (p.cache_write_tokens ?? 0);
  return [
    time,
    event.aggregate_id,
    p.wp_id ?? "(none)",
    p.agent ?? "(none)",
    p.role ?? "(none)",
    model,
    `in ${count(p.input_tokens)} out ${count(p.output_tokens)} cache ${count(cache)}`,
    usd,
    p.success === false ? `FAILED${p.exit_code ? ` (exit ${p.exit_code})` : ""}` : "ok",
  ].join("  ");
}
