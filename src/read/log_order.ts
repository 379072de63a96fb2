/**
 * Whether a log's events already stand in the total order, checked from the
 * bytes (lines in the tool's layout) or `JSON.parse` (other lines), without
 * validating or keeping events: what lets a large query merge logs as
 * streams instead of sorting them in memory.
 *
 * @module
 */
import { OrderKeys } from "./order_bytes.ts";
import { compareEvents } from "../event/order.ts";
import { OVERSIZE, readBlocks } from "./byte_blocks.ts";
import { openLog } from "./open_log.ts";
import { lineEnd, nextLine } from "./line_walk.ts";
import { MAX_LINE_BYTES } from "./log_reader.ts";
import { orderRecords } from "./wasm/order_kernel.ts";
import { loadKernel } from "./wasm/scan_kernel.ts";

type Keys = { lamport_clock: number; node_id: string; event_id: string };

/** Told the id of each line the order check reads: 26 bytes at `at`, or text. */
export interface IdSink {
  /** An id of 26 characters at `at` in `bytes`, a quote after it. */
  bytes(bytes: Uint8Array, at: number): void;
  /** An id read as text. */
  text(id: string): void;
  /** A line that may be an event whose id the check cannot read (Python's `NaN`). */
  unknown(): void;
}

/**
 * Whether the order check reads through the WebAssembly kernel by default:
 * yes when it loads (it reads the heads about 1.5x as fast as the
 * JavaScript readers here; see docs/performance.md).
 */
function kernelLoads(): boolean {
  try {
    loadKernel();
    return true;
  } catch {
    return false; // no WebAssembly SIMD here: the JavaScript readers do it all
  }
}

/**
 * True when every line that could be an event has order keys no smaller
 * than the line before it. Conservative: lines that are not valid events
 * count too (so the answer holds for any subset of the log's events), and
 * a line whose keys have the wrong types is left out (no valid event has
 * them). A missing log or a symbolic link (never read) is in order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { logInOrder } from "./log_order.ts";
 * const path = await Deno.makeTempFile();
 * await Deno.writeTextFile(path, '{"lamport_clock":2,"node_id":"a","event_id":"x"}\n' +
 *   '{"lamport_clock":1,"node_id":"a","event_id":"y"}\n');
 * assert.equal(await logInOrder(path), false);
 * assert.equal(await logInOrder("/nonexistent.jsonl"), true);
 * ```
 */
export async function logInOrder(
  path: string,
  options: { kernel?: boolean; ids?: IdSink } = {},
): Promise<boolean> {
  // `kernel`: read through the WebAssembly kernel (default: when it loads).
  // `ids`: told every line's id; the whole log is then read, in order or not.
  // The scan that reads the log reports a skipped link; this one stays quiet.
  const log = await openLog(path, { symlink: () => {} });
  if (!log) return true;
  const stream = await log.stream();
  const keys = new OrderKeys();
  const decoder = new TextDecoder();
  const kernel = options.kernel ?? kernelLoads();
  const ids = options.ids;
  let inOrder = true;
  let previous: Keys | undefined;
  for await (const block of readBlocks(stream, { maxLineBytes: MAX_LINE_BYTES })) {
    if (block === OVERSIZE) continue;
    // The WebAssembly kernel reads the heads of the tool's lines; only its
    // clock is looked at unless it ties the previous line's.
    // (Its records live in the one kernel's memory: this block is done with
    // before the next await, so concurrent checks cannot overwrite them.)
    const read = kernel ? orderRecords(block) : undefined;
    let k = 0;
    for (let start = 0; start < block.end; k++) {
      let current: Keys | undefined;
      let stop: number;
      if (read && read.ints[6 * k + 1] === 1) {
        stop = read.ints[6 * k] - read.base;
        const clock = read.clocks[3 * k + 2];
        ids?.bytes(block.bytes, start + 13);
        if (previous && clock < previous.lamport_clock) {
          if (!ids) return false;
          inOrder = false;
        }
        // Its strings are cut only when a neighbour may tie its clock.
        const alone = (previous === undefined || previous.lamport_clock !== clock) &&
          k + 1 < read.count && read.ints[6 * k + 7] === 1 && read.clocks[3 * k + 5] !== clock;
        if (alone) {
          previous ??= { lamport_clock: 0, node_id: "", event_id: "" };
          previous.lamport_clock = clock;
          start = nextLine(block, stop);
          continue;
        }
        const at = read.ints[6 * k + 2] - read.base;
        const cut = (from: number, to: number) => decoder.decode(block.bytes.subarray(from, to));
        current = {
          lamport_clock: clock,
          node_id: cut(at, at + read.ints[6 * k + 3]),
          event_id: cut(start + 13, start + 39),
        };
      } else if (keys.read(block, start)) {
        current = keys;
        stop = keys.lineEnd;
        ids?.bytes(keys.bytes, keys.idFrom);
      } else {
        stop = lineEnd(block, start);
        current = keysOf(decoder.decode(block.bytes.subarray(start, stop)));
        if (current === UNKNOWN) {
          ids?.unknown();
          if (!ids) return false;
          inOrder = false;
          current = undefined;
        } else if (current) ids?.text(current.event_id);
      }
      if (current) {
        if (previous && compareEvents(previous, current) > 0) {
          if (!ids) return false;
          inOrder = false;
        }
        const { lamport_clock, node_id, event_id } = current;
        previous = { lamport_clock, node_id, event_id };
      }
      start = nextLine(block, stop);
    }
  }
  return inOrder;
}

/** A line that may be an event whose keys the check cannot read. */
const UNKNOWN: Keys = { lamport_clock: NaN, node_id: "", event_id: "" };

function keysOf(line: string): Keys | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    // Python's NaN is no JSON, yet its line may be an event (`decodeLine`
    // reads it): its keys are unknown, so the log is not known to be in order.
    return /NaN|Infinity/.test(line) ? UNKNOWN : undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const v = value as Record<string, unknown>;
  return typeof v.lamport_clock === "number" && typeof v.node_id === "string" &&
      typeof v.event_id === "string"
    ? { lamport_clock: v.lamport_clock, node_id: v.node_id, event_id: v.event_id }
    : undefined;
}
