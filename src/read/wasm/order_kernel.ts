/**
 * The order keys of a block's lines, read by the WebAssembly kernel
 * (`orderKeys` in scan/10_order_keys.wat): for each line in the tool's layout whose head
 * gives its keys (plain strings, no later mention of an order key), its
 * clock and where its node id stands; other lines are left to the caller.
 *
 * @module
 */
import type { ByteChunk } from "../byte_scan.ts";
import { kernel } from "./scan_kernel.ts";

/** Where the kernel takes the block (its literals sit below). */
const BLOCK_AT = 1024;
/** Bytes of one line's record. */
const RECORD = 24;

/** One block's lines as the kernel read them. */
export interface OrderRecords {
  /** Lines in the block. */
  count: number;
  /** Per line, at `6 * k`: end, 1 when read, node start, node length (offsets + `base`). */
  ints: Int32Array;
  /** Where offset 0 of the block is in the kernel's memory. */
  base: number;
  /** Per line, at `3 * k + 2`: the clock. */
  clocks: Float64Array;
}

/**
 * Reads the order keys of every line of `block` (valid until the next call).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ByteChunk } from "../byte_scan.ts";
 * import { orderRecords } from "./order_kernel.ts";
 * const line = '{"event_id":"01KHJVJWDM0HGAGYGXJYKD1JQG","event_type":"Note",' +
 *   '"aggregate_id":"043-x","lamport_clock":7,"node_id":"n1","causation_id":null}';
 * const block = new ByteChunk(new TextEncoder().encode(line + "\nnot json\n"));
 * const { count, ints, clocks, base } = orderRecords(block);
 * assert.deepEqual([count, ints[0] - base, ints[1], clocks[2], ints[7]], [2, line.length, 1, 7, 0]);
 * assert.equal(block.text.slice(ints[2] - base, ints[2] - base + ints[3]), "n1");
 * ```
 */
export function orderRecords(block: ByteChunk): OrderRecords {
  const k = kernel();
  const end = block.end;
  const out = (BLOCK_AT + end + 8) & ~7;
  const need = out + (end + 1) * RECORD;
  const have = k.memory.buffer.byteLength;
  if (need > have) k.memory.grow(Math.ceil((need - have) / 65536));
  new Uint8Array(k.memory.buffer, BLOCK_AT, end).set(block.bytes.subarray(0, end));
  const count = k.orderKeys(BLOCK_AT, BLOCK_AT + end, out);
  const ints = new Int32Array(k.memory.buffer, out, count * 6);
  return { count, ints, clocks: new Float64Array(k.memory.buffer, out, count * 3), base: BLOCK_AT };
}
