/**
 * Looking up events by id in a log, for caller-supplied ids (a retry must
 * not write twice). One streamed pass that searches the text for the ids
 * themselves, in every spelling (see `event_id.ts`), so only the lines that
 * name one are ever decoded and parsed.
 *
 * @module
 */
import type { Event } from "../event/envelope.ts";
import { decodeLineLazily } from "../event/fast_decode.ts";
import { normalizeEventId } from "../event/event_id.ts";
import { OVERSIZE, readBlocks } from "./byte_blocks.ts";
import { openLog } from "./open_log.ts";
import { lineEnd } from "./line_walk.ts";
import { MAX_LINE_BYTES } from "./log_reader.ts";

/** Up to this many ids, each is searched for on its own (native search skips whole blocks). */
const FEW_IDS = 4;
const ID_KEY = '"event_id"';

/**
 * The stored events among `ids`, keyed by normalised id (an id stored as
 * `01khjv…` is found for `01KHJV…`). A missing log holds none; a log
 * that is a symbolic link or not a regular file is refused (see
 * {@linkcode openLog}).
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
  const log = await openLog(path);
  if (!log) return found;
  const wanted = new Set([...ids].map(normalizeEventId));
  // Patterns only for a few ids (a regex per id of a large batch costs hundreds of MB).
  const many = wanted.size > FEW_IDS;
  const patterns = many ? [] : [...wanted].map(anySpelling);
  const stream = await log.stream();
  const take = async (line: string) => {
    const decoded = await decodeLineLazily(line);
    // The id may also appear inside another event (a causation_id, a payload).
    if (!decoded.ok) return;
    const id = normalizeEventId(decoded.event.event_id);
    if (wanted.has(id) && !found.has(id)) found.set(id, decoded.event);
  };
  const decoder = new TextDecoder();
  // Ids are ASCII, so they can be searched for in the bytes read as latin1
  // (one char per byte; no UTF-8 decoding of the whole log); only lines that
  // name one are decoded properly.
  for await (
    const block of readBlocks(stream, { maxLineBytes: MAX_LINE_BYTES, blockBytes: 1 << 20 })
  ) {
    if (block === OVERSIZE) continue;
    const text = block.text;
    if (many) {
      // Many ids: one pass over the block's `"event_id"` keys, whatever their number.
      for (let at = text.indexOf(ID_KEY); at !== -1; at = text.indexOf(ID_KEY, at + 1)) {
        const value = /^\s*:\s*"([^"]{26,36})"/.exec(text.slice(at + ID_KEY.length, at + 60));
        if (value === null || !wanted.has(normalizeEventId(value[1]))) continue;
        const start = text.lastIndexOf("\n", at) + 1;
        await take(decoder.decode(block.bytes.subarray(start, lineEnd(block, start))));
      }
      continue;
    }
    for (const pattern of patterns) {
      pattern.lastIndex = 0;
      for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
        const start = text.lastIndexOf("\n", m.index) + 1;
        await take(decoder.decode(block.bytes.subarray(start, lineEnd(block, start))));
      }
    }
  }
  return found;
}

/**
 * Every spelling of a normalised id: any case, and for a UUID the hyphens
 * optional (a near-miss only costs a decode; the decoded id decides).
 */
function anySpelling(id: string): RegExp {
  const uuid = id.length === 36 && id[8] === "-";
  const pattern = uuid
    ? id.split("-").map((part) => RegExp.escape(part)).join("-?")
    : RegExp.escape(id);
  return new RegExp(pattern, "gi");
}
