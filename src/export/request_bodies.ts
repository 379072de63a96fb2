/**
 * OTLP/HTTP request bodies cut from a stream of items (each opened by a
 * comma, as {@linkcode ItemRun} writes them): each body is one
 * `TracesData` / `LogsData` object of up to a number of items and of bytes,
 * whichever comes first (an item larger than the byte cap goes alone).
 * The items' bytes are copied once into the body being made, so the
 * buffers they came in can be reused as soon as they are handed over. Pure.
 *
 * @module
 */
import { utf8 } from "./byte_out.ts";
import { BATCH_EVENTS, type ItemSignal, lineEnds } from "./otlp_encode.ts";
import type { ItemChunk } from "./line_bytes.ts";

/** Largest request body (UTF-8 bytes, as sent) a push makes, unless one item is larger. */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

/** A finished body, and how many items it holds (the first items not yet in a body). */
export interface CutBody {
  /** The request's bytes: a whole `TracesData` or `LogsData` object. */
  bytes: Uint8Array<ArrayBuffer>;
  /** Items in it. */
  items: number;
}

/**
 * Cuts items into bodies: {@linkcode BodyCutter.add} each chunk in order,
 * {@linkcode BodyCutter.end} once all are added; {@linkcode BodyCutter.take}
 * hands over the bodies finished so far.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { BodyCutter } from "./request_bodies.ts";
 * const cutter = new BodyCutter("logs", "p", 2);
 * cutter.add({ bytes: new TextEncoder().encode(",{},{},{}"), starts: Int32Array.of(0, 3, 6) });
 * cutter.end();
 * const bodies = cutter.take().map((b) => JSON.parse(new TextDecoder().decode(b.bytes)));
 * assert.deepEqual(bodies.map((b) => b.resourceLogs[0].scopeLogs[0].logRecords.length), [2, 1]);
 * ```
 */
export class BodyCutter {
  readonly #open: Uint8Array;
  readonly #close: Uint8Array;
  /**
   * The body being made: its start but for the last byte (the first item's
   * comma stands there until the body is cut), its whole items, then the
   * item being read; always with room for the end after them.
   */
  #buf: Uint8Array<ArrayBuffer>;
  #len: number;
  /** Whole items in the body being made. */
  #items = 0;
  /** Where the item being read starts in `#buf` (-1: none yet). */
  #itemAt = -1;
  #done: CutBody[] = [];
  /** Buffers of bodies sent, to make the next bodies in. */
  readonly #free: Uint8Array<ArrayBuffer>[] = [];

  /** Bodies of `signal` for `project`, of at most `maxItems` items and `maxBytes` bytes. */
  constructor(
    signal: ItemSignal,
    project: string,
    readonly maxItems: number = BATCH_EVENTS,
    readonly maxBytes: number = MAX_BODY_BYTES,
  ) {
    const { open, close } = lineEnds(signal, project);
    this.#open = utf8(open);
    this.#close = utf8(close);
    this.#buf = this.#fresh();
    this.#len = this.#open.length - 1;
  }

  /** Adds the next chunk of items (the first chunk starts with an item's comma). */
  add({ bytes, starts }: ItemChunk): void {
    let from = 0;
    for (const at of starts) {
      this.#append(bytes, from, at);
      this.#itemEnds();
      this.#itemAt = this.#len;
      from = at;
    }
    if (from < bytes.length && this.#itemAt < 0) {
      throw new Error("BodyCutter: bytes before the first item's start");
    }
    this.#append(bytes, from, bytes.length);
  }

  /** Ends the last item and finishes the last body. */
  end(): void {
    this.#itemEnds();
    if (this.#items > 0) this.#cut(this.#len);
  }

  /** The bodies finished since the last call, in order. */
  take(): CutBody[] {
    const done = this.#done;
    this.#done = [];
    return done;
  }

  /** Takes back a body's buffer once it is sent (and nothing reads it), to make another in. */
  reuse(body: CutBody): void {
    if (body.bytes.buffer.byteLength === this.#size()) {
      this.#free.push(new Uint8Array(body.bytes.buffer));
    }
  }

  /** A body's usual room: the cap, and the end's slack. */
  #size(): number {
    return Math.max(this.maxBytes, this.#open.length) + this.#close.length + 1;
  }

  /** A buffer for the next body, its start written in. */
  #fresh(): Uint8Array<ArrayBuffer> {
    const buf = this.#free.pop() ?? new Uint8Array(this.#size());
    buf.set(this.#open);
    return buf;
  }

  #append(bytes: Uint8Array, from: number, to: number): void {
    const n = to - from;
    if (n <= 0) return;
    const room = this.#len + n + this.#close.length;
    if (room > this.#buf.length) {
      // An item over the cap: a buffer of its own (not reused).
      const more = new Uint8Array(Math.max(this.#buf.length * 2, room));
      more.set(this.#buf.subarray(0, this.#len));
      this.#buf = more;
    }
    this.#buf.set(bytes.subarray(from, to), this.#len);
    this.#len += n;
  }

  /** The item being read is whole: it joins the body, or starts the next when it would not fit. */
  #itemEnds(): void {
    if (this.#itemAt < 0) return;
    if (this.#items > 0 && this.#len + this.#close.length > this.maxBytes) this.#cut(this.#itemAt);
    this.#items++;
    this.#itemAt = -1;
    if (this.#items === this.maxItems) this.#cut(this.#len);
  }

  /** Finishes a body of the whole items before `at`; what follows starts the next body. */
  #cut(at: number): void {
    const done = this.#buf;
    const start = this.#open.length - 1;
    const next = this.#fresh();
    const rest = this.#len - at;
    if (start + rest + this.#close.length > next.length) {
      this.#buf = next;
      this.#len = start;
      this.#append(done, at, at + rest);
    } else {
      next.set(done.subarray(at, this.#len), start);
      this.#buf = next;
      this.#len = start + rest;
    }
    // The first item's comma gives way to the start's last byte; the end goes after the last.
    done[start] = this.#open[start];
    done.set(this.#close, at);
    this.#done.push({ bytes: done.subarray(0, at + this.#close.length), items: this.#items });
    this.#items = 0;
  }
}
