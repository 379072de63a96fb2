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

type Keys = { lamport_clock: number; node_id: string; event_id: string };

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
export async function logInOrder(path: string): Promise<boolean> {
  // The scan that reads the log reports a skipped link; this one stays quiet.
  const log = await openLog(path, { symlink: () => {} });
  if (!log) return true;
  const stream = await log.stream();
  const keys = new OrderKeys();
  const decoder = new TextDecoder();
  let previous: Keys | undefined;
  for await (const block of readBlocks(stream, { maxLineBytes: MAX_LINE_BYTES })) {
    if (block === OVERSIZE) continue;
    for (let start = 0; start < block.end;) {
      let current: Keys | undefined;
      let stop: number;
      if (keys.read(block, start)) {
        current = keys;
        stop = keys.lineEnd;
      } else {
        stop = lineEnd(block, start);
        current = keysOf(decoder.decode(block.bytes.subarray(start, stop)));
      }
      if (current) {
        if (previous && compareEvents(previous, current) > 0) return false;
        previous = { ...current };
      }
      start = nextLine(block, stop);
    }
  }
  return true;
}

function keysOf(line: string): Keys | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const v = value as Record<string, unknown>;
  return typeof v.lamport_clock === "number" && typeof v.node_id === "string" &&
      typeof v.event_id === "string"
    ? { lamport_clock: v.lamport_clock, node_id: v.node_id, event_id: v.event_id }
    : undefined;
}
