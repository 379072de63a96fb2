/**
 * The binary min-heap both of `query`'s k-way merges keep their sources in
 * (`ordered.ts` over events, `block_merge.ts` over line blocks): the source
 * whose next line comes first in the total order on top.
 *
 * @module
 */

/** Whether `a` comes before `b`. */
export type Before<T> = (a: T, b: T) => boolean;

/**
 * Adds `item` to `heap`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { heapPush, heapDown } from "./binary_heap.ts";
 * const less = (a: number, b: number) => a < b;
 * const heap: number[] = [];
 * for (const n of [5, 1, 4, 2]) heapPush(heap, n, less);
 * assert.equal(heap[0], 1);
 * heap[0] = 9;
 * heapDown(heap, 0, less);
 * assert.equal(heap[0], 2);
 * ```
 */
export function heapPush<T>(heap: T[], item: T, before: Before<T>): void {
  heap.push(item);
  for (let i = heap.length - 1; i > 0;) {
    const parent = (i - 1) >> 1;
    if (!before(heap[i], heap[parent])) break;
    [heap[i], heap[parent]] = [heap[parent], heap[i]];
    i = parent;
  }
}

/** Moves the item at `i` down to its place (after its key grew or it was replaced). */
export function heapDown<T>(heap: T[], i: number, before: Before<T>): void {
  for (;;) {
    const left = 2 * i + 1;
    const right = left + 1;
    let least = i;
    if (left < heap.length && before(heap[left], heap[least])) least = left;
    if (right < heap.length && before(heap[right], heap[least])) least = right;
    if (least === i) return;
    [heap[i], heap[least]] = [heap[least], heap[i]];
    i = least;
  }
}
