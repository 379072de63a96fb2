/**
 * One id, many spellings: the Python writer's ids come in either case, and
 * a UUID with or without hyphens. Folding case and hyphens away gives the
 * form two spellings of one id share, which every comparison of identity
 * uses; stored lines keep the spelling they were written with.
 *
 * @module
 */

/**
 * The id with case and hyphens folded away.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { foldId } from "./id_fold.ts";
 * assert.equal(foldId("01KHJVJWDM0HGAGYGXJYKD1JQG"), foldId("01khjvjwdm0hgagygxjykd1jqg"));
 * assert.equal(foldId("0123456789ABCDEF0123456789ABCDEF"), foldId("01234567-89ab-cdef-0123-456789abcdef"));
 * ```
 */
export function foldId(id: string): string {
  return id.replaceAll("-", "").toLowerCase();
}

/**
 * A filter that passes each id's first event only (events must come in
 * the order that decides which copy counts: the total order).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { firstOfEachId } from "./id_fold.ts";
 * const first = firstOfEachId();
 * assert.deepEqual(["A1", "a1", "B2"].map((event_id) => first({ event_id })), [true, false, true]);
 * ```
 */
export function firstOfEachId(): (event: { event_id: string }) => boolean {
  const seen = new Set<string>();
  return (event) => {
    const id = foldId(event.event_id);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  };
}
