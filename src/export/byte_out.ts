/**
 * An output buffer that JSON text is written into as UTF-8 bytes, piece by
 * piece, with no string made for what is copied or counted: a file export
 * writes a gigabyte of it for a million events. When a piece does not fit,
 * the bytes written so far are handed on and writing goes on in the buffer
 * handed back (the same one, once written out, or another). Pure: what
 * happens to a full buffer is the owner's business.
 *
 * @module
 */

const encoder = new TextEncoder();
/** "00" to "99", two bytes each. */
const PAIRS = encoder.encode(
  Array.from({ length: 100 }, (_, i) => String(i).padStart(2, "0")).join(""),
);
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Receives the filled part of the buffer; returns the buffer to go on in. */
export type Spill = (filled: Uint8Array) => Uint8Array;

/**
 * Bytes written into a buffer of fixed size.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ByteOut } from "./byte_out.ts";
 * const parts: string[] = [];
 * const out = new ByteOut(new Uint8Array(8), (b) => (parts.push(new TextDecoder().decode(b)), new Uint8Array(8)));
 * out.ascii("n:");
 * out.uint(1234567);
 * out.jsonString('é"');
 * out.flush();
 * assert.equal(parts.join(""), 'n:1234567"é\\""');
 * ```
 */
export class ByteOut {
  /** The buffer being written. */
  buf: Uint8Array;
  /** How many bytes of it are written. */
  at = 0;

  /** Writes into `buf`; `spill` takes it when full and hands back one to go on in. */
  constructor(buf: Uint8Array, readonly spill: Spill) {
    this.buf = buf;
  }

  /** Makes room for `n` more bytes (handing on what is written when they would not fit). */
  room(n: number): void {
    if (this.at + n > this.buf.length) {
      this.flush();
      if (n > this.buf.length) this.buf = new Uint8Array(n);
    }
  }

  /**
   * Called before the written bytes are handed on: a writer that leaves
   * holes to fill later (ids hashed a few at a time) fills them here.
   */
  beforeFlush: (() => void) | undefined;

  /** Hands on what is written, if anything. */
  flush(): void {
    this.beforeFlush?.();
    if (this.at === 0) return;
    this.buf = this.spill(this.buf.subarray(0, this.at));
    this.at = 0;
  }

  /** Copies bytes (pre-encoded pieces). */
  bytes(piece: Uint8Array): void {
    const n = piece.length;
    this.room(n);
    const buf = this.buf;
    let at = this.at;
    // A loop beats a native call for the shortest pieces only.
    if (n < 12) {
      for (let i = 0; i < n; i++) buf[at++] = piece[i];
    } else {
      buf.set(piece, at);
      at += n;
    }
    this.at = at;
  }

  /** Writes one byte. */
  byte(b: number): void {
    this.room(1);
    this.buf[this.at++] = b;
  }

  /** Writes text known to be ASCII (digits, fixed words). */
  ascii(text: string): void {
    const n = text.length;
    this.room(n);
    const buf = this.buf;
    let at = this.at;
    for (let i = 0; i < n; i++) buf[at++] = text.charCodeAt(i);
    this.at = at;
  }

  /** Writes any text as UTF-8. */
  text(text: string): void {
    this.room(text.length * 3);
    this.at += encoder.encodeInto(text, this.buf.subarray(this.at)).written;
  }

  /** Writes `JSON.stringify(text)` (as UTF-8); printable ASCII without a string made. */
  jsonString(text: string): void {
    const n = text.length;
    this.room(n + 2);
    const buf = this.buf;
    let at = this.at;
    buf[at++] = QUOTE;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c < 0x20 || c > 0x7e || c === QUOTE || c === BACKSLASH) {
        this.text(JSON.stringify(text));
        return;
      }
      buf[at++] = c;
    }
    buf[at++] = QUOTE;
    this.at = at;
  }

  /**
   * Writes `String(n)` for a number: digits without a string for a
   * non-negative safe integer, else the number's own text.
   */
  uint(n: number): void {
    if (!(n >= 0 && n <= Number.MAX_SAFE_INTEGER && Number.isInteger(n))) {
      this.ascii(String(n));
      return;
    }
    if (n >= 100_000_000) {
      // Two halves of int32 arithmetic (a double's remainder is slow).
      // Exact: below 2^53 the quotient is under 2^27, its rounding error
      // under 1e-8, so it never rounds up to the next integer.
      const high = Math.floor(n / 100_000_000);
      this.#int(high);
      this.#padded8(n - high * 100_000_000);
    } else this.#int(n);
  }

  /**
   * Writes `String(n)` for a finite number: digits without a string when it
   * is a whole number of millionths below 10^9 (a cost in dollars). Such a
   * decimal has at most 15 significant digits, so it is the one decimal of
   * that length that maps to `n`, and `String` (the shortest that maps
   * back, in plain notation from 1e-6 up) writes exactly it, trailing zeros
   * cut.
   */
  decimal(n: number): void {
    const millionths = Math.round(n * 1e6);
    if (!(millionths >= 0 && millionths < 1e15 && millionths / 1e6 === n)) {
      this.ascii(String(n));
      return;
    }
    const whole = Math.floor(millionths / 1e6);
    let fraction = millionths - whole * 1e6;
    this.uint(whole);
    if (fraction === 0) return;
    let places = 6;
    while (fraction % 10 === 0) {
      fraction /= 10;
      places--;
    }
    this.room(places + 1);
    const buf = this.buf;
    let at = this.at + places + 1;
    this.at = at;
    for (let i = 0; i < places; i++) {
      const q = Math.floor(fraction / 10);
      buf[--at] = 0x30 + fraction - q * 10;
      fraction = q;
    }
    buf[--at] = 0x2e;
  }

  /** Digits of an integer below 10^8. */
  #int(v: number): void {
    const digits = v < 10
      ? 1
      : v < 100
      ? 2
      : v < 1000
      ? 3
      : v < 10_000
      ? 4
      : v < 100_000
      ? 5
      : v < 1_000_000
      ? 6
      : v < 10_000_000
      ? 7
      : 8;
    this.room(digits);
    const buf = this.buf;
    let at = this.at + digits;
    this.at = at;
    let x = v | 0;
    // Two digits a step, from a table.
    while (x >= 100) {
      const q = (x / 100) | 0;
      const pair = (x - q * 100) << 1;
      buf[--at] = PAIRS[pair + 1];
      buf[--at] = PAIRS[pair];
      x = q;
    }
    if (x >= 10) {
      buf[--at] = PAIRS[(x << 1) + 1];
      buf[--at] = PAIRS[x << 1];
    } else buf[--at] = 0x30 + x;
  }

  /** Eight digits, zeros first, of an integer below 10^8. */
  #padded8(v: number): void {
    this.room(8);
    const buf = this.buf;
    let at = this.at + 8;
    this.at = at;
    let x = v | 0;
    for (let i = 0; i < 4; i++) {
      const q = (x / 100) | 0;
      const pair = (x - q * 100) << 1;
      buf[--at] = PAIRS[pair + 1];
      buf[--at] = PAIRS[pair];
      x = q;
    }
  }
}

/** UTF-8 bytes of a fixed piece of text. */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}
