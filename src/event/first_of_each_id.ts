/**
 * Each id once, in outputs that list events: two spellings of one id (see
 * `event_id.ts`) are one event, and its first copy in the total order is
 * the one that counts, as in `cost`.
 *
 * @module
 */
import { IdSet } from "./id_set.ts";

/**
 * A filter that passes each id's first event only (events must come in
 * the order that decides which copy counts: the total order).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { firstOfEachId } from "./first_of_each_id.ts";
 * const first = firstOfEachId();
 * const ids = ["01KHJVJWDM0HGAGYGXJYKD1JQG", "01khjvjwdm0hgagygxjykd1jqg", "01KHJVJWDM0HGAGYGXJYKD1JQH"];
 * assert.deepEqual(ids.map((event_id) => first({ event_id })), [true, false, true]);
 * ```
 */
export function firstOfEachId(): (event: { event_id: string }) => boolean {
  // Compact: a million ids in about 50 MB of typed arrays, no string each.
  const seen = new IdSet();
  return (event) => seen.add(event.event_id);
}
