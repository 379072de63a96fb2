/**
 * Counting every event once: an id that appears on several lines (a hand
 * edit, a `merge=union`, a copy, two spellings of one id) is counted once,
 * by the copy first in the total order `(lamport_clock, node_id, event_id)`.
 * The scan records one 52-bit hash per counted event; only the hashes that
 * repeat send their lines through {@linkcode candidateSink}, where the ids
 * themselves settle it (a hash collision costs a look, never an event).
 * Pure: the caller reads the logs.
 *
 * @module
 */
import type { Event } from "../event/envelope.ts";
import { compareEvents } from "../event/order.ts";
import type { ExecutionEvent } from "../event/execution.ts";
import { EXECUTION_EVENT } from "../event/fields.ts";
import { jsonEqual } from "../merge/json_equal.ts";
import type { EventSink } from "../read/event_sink.ts";
import { CostAggregator, type Totals } from "./aggregate.ts";
import type { CostPartial } from "./cost_reducer.ts";
import type { GroupKey } from "./group_keys.ts";
import { hasHash, idHashAt, idHashOf } from "./id_hash.ts";
import { normalizeEventId } from "../event/event_id.ts";
import type { PricingTable } from "./pricing.ts";

/**
 * A sink collecting the execution events whose id hash is in the sorted
 * `repeated`: every copy, whatever a filter takes (the copy that counts may
 * be one a filter leaves out).
 */
export function candidateSink(repeated: Float64Array, found: ExecutionEvent[]): EventSink {
  return {
    // Decode a repeated id's line (its content settles it); leave the rest. The
    // kernel's hash of the id when it read the line, else one from the id's bytes.
    execution: (view) => {
      const hash = view.idHash;
      return !hasHash(
        repeated,
        hash !== undefined && hash === hash ? hash : idHashAt(view.idData(), view.idFrom),
      );
    },
    otherTypes: false,
    events(events: Event[]): void {
      for (const event of events) {
        if (
          event.event_type === EXECUTION_EVENT && hasHash(repeated, idHashOf(event.event_id))
        ) found.push(event as ExecutionEvent);
      }
    },
  };
}

/** Which copies of repeated ids are not counted. */
export interface Settled {
  /** Copies identical to the counted one (their lines ignored). */
  copies: ExecutionEvent[];
  /** Copies that differ from the counted one (not counted, left for a person). */
  conflicts: ExecutionEvent[];
  /** The ids with such copies, as the counted copy spells them, sorted. */
  conflictingIds: string[];
}

/**
 * Settles repeated ids among `candidates`: per id (normalised), the first
 * copy in the total order counts; each other copy is a duplicate when equal
 * to it as JSON, else a conflict. The candidates are every copy, those a
 * filter leaves out included: the copy that counts is the first of all, so
 * a filter takes it or no copy of its id.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { settle } from "./exactly_once.ts";
 * const e = (id: string, clock: number, cost: number) => ({
 *   event_id: id, event_type: "ExecutionEvent", aggregate_id: "f", lamport_clock: clock,
 *   node_id: "n", causation_id: null, timestamp: "2026-01-01T00:00:00Z", payload: { c: cost },
 * }) as never;
 * const s = settle([e("01KHJVJWDM0HGAGYGXJYKD1JQG", 1, 1), e("01khjvjwdm0hgagygxjykd1jqg", 1, 1)]);
 * assert.equal(s.copies.length, 1);
 * const c = settle([e("01KHJVJWDM0HGAGYGXJYKD1JQG", 2, 1), e("01KHJVJWDM0HGAGYGXJYKD1JQG", 1, 9)]);
 * assert.deepEqual([c.copies.length, c.conflictingIds, c.conflicts[0].lamport_clock], [0, ["01KHJVJWDM0HGAGYGXJYKD1JQG"], 2]);
 * ```
 */
export function settle(candidates: readonly ExecutionEvent[]): Settled {
  const byId = new Map<string, ExecutionEvent[]>();
  for (const event of candidates) {
    const id = normalizeEventId(event.event_id);
    const copies = byId.get(id);
    if (copies) copies.push(event);
    else byId.set(id, [event]);
  }
  const settled: Settled = { copies: [], conflicts: [], conflictingIds: [] };
  for (const versions of byId.values()) {
    if (versions.length < 2) continue; // a hash collision: two ids, each counted once
    versions.sort(compareEvents);
    const [kept, ...rest] = versions;
    const before = settled.conflicts.length;
    for (const copy of rest) {
      const same = jsonEqual({ ...copy, event_id: kept.event_id }, kept);
      (same ? settled.copies : settled.conflicts).push(copy);
    }
    if (settled.conflicts.length > before) settled.conflictingIds.push(kept.event_id);
  }
  settled.conflictingIds.sort();
  return settled;
}

/**
 * `partial` with the extras' sums taken out (groups left empty dropped).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { withoutExtras } from "./exactly_once.ts";
 * import { emptyTotals } from "./aggregate.ts";
 * const partial = { groups: [], total: emptyTotals(), ids: [] };
 * assert.equal(withoutExtras(partial, [], ["agent"], { updated: null, entries: [] }), partial);
 * ```
 */
export function withoutExtras(
  partial: CostPartial,
  extras: readonly ExecutionEvent[],
  groupBy: GroupKey[],
  pricing: PricingTable,
): CostPartial {
  if (extras.length === 0) return partial;
  const extra = new CostAggregator(groupBy, pricing);
  for (const event of extras) extra.add(event);
  const key = (values: Record<string, string | null>) => JSON.stringify(Object.values(values));
  const groups = new Map(partial.groups.map((g) => [key(g.key), g]));
  for (const group of extra.groups()) {
    const into = groups.get(key(group.key));
    if (!into) continue; // every extra was counted in its group
    subtractTotals(into.totals, group.totals);
    if (into.totals.event_count === 0) groups.delete(key(group.key));
  }
  subtractTotals(partial.total, extra.total);
  return { ...partial, groups: [...groups.values()] };
}

/**
 * Takes `from` out of `into` (sums of events counted twice). The unpriced
 * models are left as they are unless no unpriced event remains: the copy
 * kept names the same model, except in a conflict.
 */
function subtractTotals(into: Totals, from: Totals): void {
  into.input_tokens -= from.input_tokens;
  into.output_tokens -= from.output_tokens;
  into.cache_read_tokens -= from.cache_read_tokens;
  into.cache_write_tokens -= from.cache_write_tokens;
  into.reported -= from.reported;
  into.estimated -= from.estimated;
  into.event_count -= from.event_count;
  into.estimated_event_count -= from.estimated_event_count;
  into.unpriced_event_count -= from.unpriced_event_count;
  if (into.unpriced_event_count === 0) into.unpriced_models.clear();
}
