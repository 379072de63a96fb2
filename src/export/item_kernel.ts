/**
 * The JS side of the wasm item writer (`wasm/sha256/10_items.wat`): loads a
 * signal's program (`item_program.ts`) into the export module's memory,
 * registers pieces (fixed text once; each distinct provider, model or cost
 * source when first met), computes the few values the program takes from
 * JS per item, and hands the line's bytes over. An item is written straight
 * into an output buffer that lives in the module's memory
 * ({@linkcode outBuffer}), else into the module's out region, to be copied
 * out (`finish`, `out`, `starts`, `reset`). One instance of the module per
 * thread, so one writer holds it at a time (`claim`).
 *
 * @module
 */
import type { ExportRow } from "./otlp_mapping.ts";
import type { ItemSignal } from "./otlp_encode.ts";
import { compileProgram } from "./item_program.ts";
import { type ArgFill, compileFill } from "./item_args.ts";
import { exportInstance } from "./wasm/sha256_kernel.ts";
import type { ByteChunk } from "../read/byte_scan.ts";

interface Exports {
  memory: WebAssembly.Memory;
  setLeaves(n: number, tail: number): void;
  item(line: number, len: number, micros: number, to: number, python: number): number;
  setPython(n: number): void;
  finish(): number;
  items(): number;
  reset(): void;
  [layout: string]: unknown;
}

/** The longest piece registered for a value (longer ones leave the item to JS). */
const MAX_PIECE = 1024;
const MAX_PIECES = 4096;
const encoder = new TextEncoder();

/** The module's memory, layout and piece registry (one per thread). */
class Module {
  readonly x: Exports;
  readonly memory: Uint8Array;
  readonly at: (name: string) => number;
  /** Piece numbers by text, and by value (a string as `of` returned it). */
  readonly #pieces = new Map<string, number>();
  readonly values = new Map<unknown, number>();
  #count = 0;
  #bytes: number;
  readonly #table: Int32Array;
  /** Buffers in memory handed out so far. */
  buffers = 0;
  /** The block copied into memory (at `blockAt`), for items of its lines. */
  chunk: ByteChunk | undefined;
  readonly blockAt: number;
  readonly block: Uint8Array;
  /** The writer whose program is loaded, and how it hands over what it wrote. */
  owner: unknown;
  release: (() => void) | undefined;

  constructor() {
    this.x = exportInstance().exports as unknown as Exports;
    this.memory = new Uint8Array(this.x.memory.buffer);
    this.at = (name) => (this.x[name] as WebAssembly.Global).value as number;
    this.#bytes = this.at("PIECE_BYTES");
    this.blockAt = this.at("BLOCK");
    // 64 KiB of slack after it: the walk looks 16 bytes past a line's end.
    this.block = this.memory.subarray(this.blockAt, this.memory.length - 65536);
    this.#table = new Int32Array(this.x.memory.buffer, this.at("PIECES"), 2 * MAX_PIECES);
  }

  /** The number of a piece of text, registered when first met; -1 when it cannot be. */
  piece(text: string): number {
    let k = this.#pieces.get(text);
    if (k !== undefined) return k;
    const bytes = encoder.encode(text);
    if (
      bytes.length > MAX_PIECE || this.#count === MAX_PIECES ||
      this.#bytes + bytes.length + 8 > this.at("LINE")
    ) return -1;
    k = this.#count++;
    this.memory.set(bytes, this.#bytes);
    this.#table[2 * k] = this.#bytes;
    this.#table[2 * k + 1] = bytes.length;
    this.#bytes += bytes.length;
    this.#pieces.set(text, k);
    return k;
  }

  /** The piece of a string value (its JSON text), remembered by value. */
  valuePiece(value: unknown): number {
    let k = this.values.get(value);
    if (k === undefined) {
      k = this.piece(JSON.stringify(String(value)));
      if (k >= 0) this.values.set(value, k);
    }
    return k;
  }
}

let module: Module | undefined;
const shared = () => module ??= new Module();
let written = 0;

/** How many items this thread's wasm writers have written (for tests and the bench). */
export function itemsWritten(): number {
  return written;
}

/** Buffers handed back (`releaseBuffer`), to hand out again. */
const released: Uint8Array[] = [];

/**
 * A buffer of `size` bytes in the export module's memory (the item writer
 * writes into it directly), while there are some left; else undefined.
 * Hand it back with {@linkcode releaseBuffer} once nothing reads it.
 */
export function outBuffer(size: number): Uint8Array | undefined {
  const m = shared();
  const again = released.findIndex((b) => b.length >= size);
  if (again >= 0) return released.splice(again, 1)[0].subarray(0, size);
  const count = m.at("BUFFER_COUNT");
  // Each with slack after it (the writer's 16-byte copies), up to the block's place.
  const each = Math.floor((m.blockAt - m.at("BUFFERS")) / count) - 65536;
  if (size > each || m.buffers === count) return undefined;
  const at = m.at("BUFFERS") + (each + 65536) * m.buffers++;
  return m.memory.subarray(at, at + size);
}

/** Hands back a buffer of {@linkcode outBuffer} (others are left alone). */
export function releaseBuffer(buffer: Uint8Array): void {
  if (module !== undefined && buffer.buffer === module.memory.buffer) released.push(buffer);
}

/**
 * A signal's item writer in wasm.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ItemKernel } from "./item_kernel.ts";
 * const kernel = ItemKernel.of("logs")!;
 * kernel.claim(kernel, () => {});
 * assert.equal(kernel.finish(), 0);
 * ```
 */
export class ItemKernel {
  readonly #m: Module;
  readonly #ops: Int32Array;
  readonly #gaps: Int32Array;
  readonly #leafCount: number;
  readonly #tail: number;
  /** The Python layout's table of keys (PY_KEYS), as written into memory. */
  readonly #python: Int32Array;
  readonly #fill: ArgFill;
  readonly #line: Uint8Array;
  readonly #lineAt: number;
  /** Bytes an item may take besides twice its line. */
  readonly fixed: number;
  readonly #outBytes: number;
  #pending = 0;
  /** The memory's buffer: a `ByteOut` buffer over it is written into directly. */
  readonly buffer: ArrayBufferLike;
  /** Where the items stand in out (valid until `reset`). */
  readonly out: Uint8Array;
  /** Where each item in out starts in it (the first `items()`). */
  readonly starts: Int32Array;

  private constructor(m: Module, signal: ItemSignal) {
    const program = compileProgram(signal, (text) => {
      const k = m.piece(text);
      if (k < 0) throw new RangeError("item pieces: kernel memory full");
      return k;
    })!;
    this.#m = m;
    this.#ops = Int32Array.from(program.ops);
    this.#gaps = Int32Array.from(program.gaps);
    this.#leafCount = program.leafCount;
    this.#tail = program.tail;
    this.#python = Int32Array.from(
      program.python.flatMap((key) => [key.leaf, m.piece(key.text), key.flags, 0]),
    );
    this.#fill = compileFill(
      program.args,
      new Float64Array(m.x.memory.buffer, m.at("ARGS"), 64),
      (value) => m.valuePiece(value),
    );
    this.#lineAt = m.at("LINE");
    this.#line = m.memory.subarray(this.#lineAt, m.at("STARTS") - 16);
    this.fixed = program.pieces.reduce((n, text) => n + encoder.encode(text).length, 0) +
      program.args.length * (MAX_PIECE + 32) + 1024;
    const out = m.at("OUT");
    this.#outBytes = m.at("OUT_BYTES");
    this.buffer = m.memory.buffer;
    this.out = m.memory.subarray(out, out + this.#outBytes);
    this.starts = new Int32Array(m.x.memory.buffer, m.at("STARTS"), (out - m.at("STARTS")) / 4);
  }

  /** The writer of `signal`'s items, or undefined when the table has an attribute it cannot write. */
  static of(signal: ItemSignal): ItemKernel | undefined {
    if (compileProgram(signal, () => 0) === undefined) return undefined;
    return new ItemKernel(shared(), signal);
  }

  /**
   * Makes `owner` the module's user with this program loaded: the one
   * before hands over what it wrote first (its `release`).
   */
  claim(owner: unknown, release: () => void): void {
    const m = this.#m;
    if (m.owner === owner) return;
    const before = m.release;
    m.owner = owner;
    m.release = release;
    before?.();
    new Int32Array(m.x.memory.buffer, m.at("PROGRAM"), this.#ops.length).set(this.#ops);
    new Int32Array(m.x.memory.buffer, m.at("GAPS"), this.#gaps.length).set(this.#gaps);
    m.x.setLeaves(this.#leafCount, this.#tail);
    new Int32Array(m.x.memory.buffer, m.at("PY_KEYS"), this.#python.length).set(this.#python);
    m.x.setPython(this.#python.length / 4);
    this.#pending = m.x.finish();
  }

  /** Whether an item of a `len`-byte line surely fits in out (else take what is there first). */
  fits(len: number): boolean {
    return this.#pending + 2 * len + this.fixed <= this.#outBytes;
  }

  /**
   * Writes the item of the line `chunk.bytes[from, to)` for `row` at `at`
   * in memory (0: at the end of out, when it `fits`): a verbatim line, or
   * one in the Python writer's layout spelt as the tool would; returns
   * where it ends, or -1 (nothing written) when it is left to JS. At `at`,
   * there must be room for twice the line and `fixed` bytes.
   */
  write(
    chunk: ByteChunk,
    from: number,
    to: number,
    row: ExportRow,
    at: number,
    verbatim: boolean,
  ): number {
    const len = to - from;
    if (!(len > 0) || !this.#fill(row)) return -1;
    const m = this.#m;
    let line: number;
    if (chunk === m.chunk) line = m.blockAt + from;
    else if (chunk.end <= m.block.length) {
      // The block is copied once, when its first item is written (its chunk is not refilled).
      m.block.set(chunk.bytes.subarray(0, chunk.end));
      m.chunk = chunk;
      line = m.blockAt + from;
    } else if (len <= this.#line.length) {
      this.#line.set(chunk.bytes.subarray(from, to));
      line = this.#lineAt;
    } else return -1;
    const end = m.x.item(line, len, row.micros!, at, verbatim ? 0 : 1);
    if (end < 0) return end;
    written++;
    if (at === 0) this.#pending = end - this.out.byteOffset;
    return end;
  }

  /** Hashes the ids waiting; returns the bytes of items in out. */
  finish(): number {
    return this.#m.x.finish();
  }

  /** How many items are in out. */
  items(): number {
    return this.#m.x.items();
  }

  /** Empties out (after its items are taken). */
  reset(): void {
    this.#m.x.reset();
    this.#pending = 0;
  }
}
