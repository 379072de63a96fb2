/**
 * Looking up events by id in a log, for caller-supplied ids (a retry must
 * not write twice). One streamed pass that searches the text for the ids
 * themselves, so only the lines that name one are ever parsed.
 *
 * @module
 */
import type { Event } from "../event/envelope.ts";
import { decodeLineLazily } from "../event/fast_decode.ts";
import { rangeStream } from "../read/byte_range.ts";

/**
 * The stored events among `ids`, by id. A missing log holds none.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { findEvents } from "./find_events.ts";
 * const found = await findEvents("/nonexistent.jsonl", new Set(["01KHJVJWDM0HGAGYGXJYKD1JQG"]));
 * assert.equal(found.size, 0);
 * ```
 */
export async function findEvents(path: string, ids: Set<string>): Promise<Map<string, Event>> {
  const found = new Map<string, Event>();
  let stream: ReadableStream<Uint8Array>;
  try {
    // Big reads: this pass creates no objects per line, so no garbage to bound.
    stream = await rangeStream(path, 0, Infinity, 1024 * 1024);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return found;
    throw error;
  }
  const decoder = new TextDecoder();
  let tail = "";
  const search = async (text: string) => {
    for (const id of ids) {
      for (let at = text.indexOf(id); at !== -1; at = text.indexOf(id, at + id.length)) {
        const start = text.lastIndexOf("\n", at) + 1;
        const end = text.indexOf("\n", at);
        const decoded = await decodeLineLazily(text.slice(start, end === -1 ? undefined : end));
        // The id may also appear inside another event (a causation_id, a payload).
        if (decoded.ok && decoded.event.event_id === id) found.set(id, decoded.event);
      }
    }
  };
  for await (const chunk of stream) {
    const text = tail + decoder.decode(chunk, { stream: true });
    const cut = text.lastIndexOf("\n");
    tail = text.slice(cut + 1);
    if (cut !== -1) await search(text.slice(0, cut + 1));
  }
  await search(tail + decoder.decode());
  return found;
}
