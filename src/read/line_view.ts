/**
 * What the byte readers produce: the fields of an execution event that
 * filters and cost read, in one reused view, and the names they hold.
 *
 * @module
 */
import { isoBytesMs, isoInstantMs } from "../event/iso_time.ts";
import { type ByteChunk, name } from "./byte_scan.ts";
import {
  EXECUTION_EVENT,
  type FieldSpec,
  PAYLOAD_FIELDS,
  type PayloadFields,
  type TextKey,
} from "../event/fields.ts";

const QUOTE = 0x22;

/**
 * The payload fields of an execution event that filters and cost read:
 * every field of the table but free text, which the readers check and skip.
 */
export type ExecutionViewPayload = Omit<PayloadFields, TextKey>;

/** The fields of an execution event that filters and cost read. */
export interface ExecutionView {
  /** Always an execution event. */
  readonly event_type: typeof EXECUTION_EVENT;
  /** The feature. */
  aggregate_id: string;
  /** RFC 3339, cut from the bytes only when read. */
  readonly timestamp: string;
  /** The timestamp as epoch milliseconds, read from the bytes (no string in the common forms). */
  timeMs(): number;
  /** Every payload field but free text. */
  payload: ExecutionViewPayload;
  /**
   * The read block the id's 26 bytes stand in, at `idFrom`, for identity
   * without a string per event (valid until the next line is read).
   */
  idData(): DataView;
  /** Where the id starts in {@linkcode ExecutionView.idData}. */
  readonly idFrom: number;
  /** The same block's bytes. */
  idBytes(): Uint8Array;
  /**
   * The id's 52-bit hash (`idHashAt` of the id's bytes) when the reader
   * computed it (the wasm kernel does), else NaN or absent: hash it from
   * the bytes.
   */
  readonly idHash?: number;
  /**
   * `cost_usd` split exactly into whole dollars and 1e-15 USD below a
   * dollar (the value's shortest decimal, scaled), when the reader split it
   * from the digits (the wasm kernel does), else NaN or absent.
   */
  readonly usdWhole?: number;
  /** See {@linkcode ExecutionView.usdWhole}. */
  readonly usdFemtos?: number;
  /** The order keys. */
  readonly lamport_clock: number;
  /** The writing node. */
  readonly node_id: string;
  /** The id (cut from the bytes when read). */
  readonly event_id: string;
  /**
   * True when the line is, byte for byte, the text `encodeEvent` writes for
   * this event (tool's layout, every payload key, canonical numbers, ASCII):
   * it can be copied out instead of being parsed and written again.
   */
  readonly verbatim: boolean;
  /** The line's text, without its line end (ASCII when verbatim). */
  lineText(): string;
}

/** What {@linkcode CanonicalReader.read} found on a line. */
export const LINE = {
  /** Not provably valid in the canonical layout: use the full path. */
  FALLBACK: 0,
  /**
   * A canonical line of another event type (not checked further); its end
   * is in `lineEnd`.
   */
  OTHER_TYPE: 1,
  /** A valid execution event, now in `view`. */
  EXECUTION: 2,
} as const;

/**
 * The payload rows the view holds, in written order: every field but free
 * text.
 */
export const VIEW_FIELDS: readonly FieldSpec[] = PAYLOAD_FIELDS.filter((f) => f.kind !== "text");

/** The kinds of fields whose values are numbers or null. */
const NUMBER_KINDS: readonly string[] = ["count", "usd", "integer"];

/** A fresh view payload: each field at its default (required names empty until read). */
function viewPayload(): ExecutionViewPayload {
  const payload: Record<string, unknown> = {};
  for (const f of VIEW_FIELDS) {
    // Given a small integer and null first, V8 lays a number field out for any value from the
    // start. Else the first whole-dollar cost (rare), met once the readers' code is optimized,
    // changes the layout and deoptimizes every function that reads a payload, in each thread.
    if (NUMBER_KINDS.includes(f.kind)) payload[f.key] = (payload[f.key] = 0, null);
    payload[f.key] = "default" in f ? f.default : "";
  }
  return payload as ExecutionViewPayload;
}

/**
 * The reused view the byte readers fill: one object for every line read, so
 * reading makes no garbage; its time is cut from the block only when asked.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { LineView } from "./line_view.ts";
 * assert.equal(new LineView().payload.model, null);
 * ```
 */
export class LineView implements ExecutionView {
  readonly event_type = EXECUTION_EVENT;
  aggregate_id = "";
  payload: ExecutionViewPayload = viewPayload();
  /** The block holding the line's time, and where the time stands in it. */
  chunk: ByteChunk | undefined;
  from = 0;
  to = 0;
  /**
   * The time as epoch milliseconds when a reader already knows it (the
   * wasm kernel reads the common spelling), else NaN: read from the bytes.
   */
  knownMs = NaN;
  /** The id's hash and the split amount (see {@linkcode ExecutionView}): the wasm reader sets them. */
  idHash = NaN;
  usdWhole = NaN;
  usdFemtos = 0;
  /** Where the line read last ends (its `\n` or `\r\n`, or the block's end). */
  lineEnd = 0;
  /** The order keys (for checking a log's order; the id is cut when asked). */
  lamport_clock = 0;
  node_id = "";
  idFrom = 0;
  /** Where the line starts, and whether it is canonical text (see {@linkcode ExecutionView}). */
  lineStart = 0;
  verbatim = false;
  lineText(): string {
    return this.chunk!.text.slice(this.lineStart, this.lineEnd);
  }
  // Cut only when asked: most reports never look at the time.
  get timestamp(): string {
    return this.chunk!.text.slice(this.from, this.to);
  }
  // Dated prices read the time of every event of a model with periods: from
  // the bytes, since a string per event costs tens of MB of young garbage.
  timeMs(): number {
    if (this.knownMs === this.knownMs) return this.knownMs;
    const ms = isoBytesMs(this.chunk!.bytes, this.from, this.to);
    return Number.isNaN(ms) ? isoInstantMs(this.timestamp) : ms;
  }
  // The readers take 26-character ids from bytes; other forms go the full path.
  get event_id(): string {
    return this.chunk!.text.slice(this.idFrom, this.idFrom + 26);
  }
  /** The block the id stands in. */
  idData(): DataView {
    return this.chunk!.view;
  }
  /** The block the id stands in, as bytes. */
  idBytes(): Uint8Array {
    return this.chunk!.bytes;
  }
}

/** How many names sharing their first four bytes are remembered. */
const NAMES_PER_KEY = 64;

/**
 * Names seen before, found from the bytes without making a string: keyed
 * by their first four bytes (one 32-bit load), confirmed byte by byte up
 * to the closing quote. A hit is a name already checked, so it needs no
 * per-byte validation; a miss is checked by `name()` and remembered as one
 * flat string.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ByteChunk } from "./byte_scan.ts";
 * import { NameCache } from "./line_view.ts";
 * const chunk = new ByteChunk(new TextEncoder().encode('claude","claude"'));
 * const names = new NameCache();
 * assert.equal(names.name(chunk, 0), 6); // checked, remembered
 * assert.equal(names.name(chunk, 9), 15); // found
 * assert.equal(names.found, "claude");
 * ```
 */
export class NameCache {
  /** The name read by the last successful `name()`. */
  found = "";
  readonly #known = new Map<number, Array<{ bytes: Uint8Array; text: string }>>();
  #count = 0;

  /** The name at `p` (up to its closing quote, whose position is returned), or -1. */
  name(chunk: ByteChunk, p: number): number {
    const { bytes: b, view: d, end } = chunk;
    if (p < 0) return -1;
    const cacheable = p + 4 <= end;
    if (cacheable) {
      const list = this.#known.get(d.getInt32(p, true));
      if (list !== undefined) {
        for (let k = 0; k < list.length; k++) {
          const known = list[k].bytes;
          const n = known.length;
          if (p + n >= end || b[p + n] !== QUOTE) continue;
          // The key already matched the first four bytes.
          let i = n < 4 ? n : 4;
          while (i < n && b[p + i] === known[i]) i++;
          if (i === n) {
            this.found = list[k].text;
            return p + n;
          }
        }
      }
    }
    const q = name(b, end, p);
    if (q < 0) return -1;
    // A flat copy: a slice would keep the whole chunk's text alive.
    this.found = JSON.parse(JSON.stringify(chunk.text.slice(p, q))) as string;
    if (cacheable) {
      if (++this.#count > 10_000) {
        this.#known.clear();
        this.#count = 0;
      }
      const key = d.getInt32(p, true);
      const entry = { bytes: b.slice(p, q), text: this.found };
      const list = this.#known.get(key);
      // A full list stays as it is: names that share four bytes without end
      // (ids a misaligned read of junk takes for a name) must not make each
      // look-up a walk through thousands.
      if (list) {
        if (list.length < NAMES_PER_KEY) list.push(entry);
      } else this.#known.set(key, [entry]);
    }
    return q;
  }
}
