/**
 * What the byte readers produce: the fields of an execution event that
 * filters and cost read, in one reused view, and the names they hold.
 *
 * @module
 */
import { type ByteChunk, scanned } from "./byte_scan.ts";

/** The payload fields of an execution event that filters and cost read. */
export type ExecutionViewPayload = {
  wp_id: string;
  agent: string;
  role: string;
  model: string | null;
  input_tokens: number | null;
  output_tokens: number | null;
  cache_read_tokens: number | null;
  cache_write_tokens: number | null;
  reasoning_tokens: number | null;
  cost_usd: number | null;
  duration_ms: number;
  success: boolean;
  exit_code: number;
};

/** The fields of an execution event that filters and cost read. */
export interface ExecutionView {
  readonly event_type: "ExecutionEvent";
  aggregate_id: string;
  readonly timestamp: string;
  payload: ExecutionViewPayload;
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
  readonly event_type = "ExecutionEvent";
  aggregate_id = "";
  payload: ExecutionViewPayload = {
    wp_id: "",
    agent: "",
    role: "",
    model: null,
    input_tokens: null,
    output_tokens: null,
    cache_read_tokens: null,
    cache_write_tokens: null,
    reasoning_tokens: null,
    cost_usd: null,
    duration_ms: 0,
    success: true,
    exit_code: 0,
  };
  /** The block holding the line's time, and where the time stands in it. */
  chunk: ByteChunk | undefined;
  from = 0;
  to = 0;
  /** Where the line read last ends (its `\n` or `\r\n`, or the block's end). */
  lineEnd = 0;
  // Cut only when asked: most reports never look at the time.
  get timestamp(): string {
    return this.chunk!.text.slice(this.from, this.to);
  }
}

/**
 * One flat string per distinct name, found by the hash `name()` left in
 * `scanned.hash` and confirmed byte by byte, so no string is made for a
 * name seen before.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ByteChunk, name } from "./byte_scan.ts";
 * import { NameCache } from "./line_view.ts";
 * const chunk = new ByteChunk(new TextEncoder().encode('claude"'));
 * const names = new NameCache();
 * const q = name(chunk.bytes, chunk.end, 0);
 * assert.equal(names.get(chunk, 0, q), "claude");
 * ```
 */
export class NameCache {
  readonly #names = new Map<number, string>();

  /** The name just read by `name()` at `[from, to)`, as a shared flat string. */
  get(chunk: ByteChunk, from: number, to: number): string {
    const b = chunk.bytes;
    const hash = scanned.hash;
    const known = this.#names.get(hash);
    if (known !== undefined && known.length === to - from) {
      let i = 0;
      while (i < known.length && known.charCodeAt(i) === b[from + i]) i++;
      if (i === known.length) return known;
    }
    // A flat copy: a slice would keep the whole chunk's text alive.
    const copy = JSON.parse(JSON.stringify(chunk.text.slice(from, to))) as string;
    if (this.#names.size > 100_000) this.#names.clear();
    this.#names.set(hash, copy);
    return copy;
  }
}
