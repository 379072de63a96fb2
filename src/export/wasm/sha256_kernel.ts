/**
 * The trace and span ids of an event id, hashed in WebAssembly (see
 * sha256/00_sha256.wat) straight into a frame of output text: the caller writes the
 * id's bytes into {@linkcode idInput}, calls a frame's `hash`, and copies the
 * frame out whole (its text with the digits in place). Compiled on first
 * use, synchronously, from the bytes embedded in sha256_wasm.ts (no file,
 * no permission). The digits are those of `spanIds` (otlp_ids.ts); a test
 * holds them equal.
 *
 * @module
 */
import { SHA256_WASM_BASE64 } from "./sha256_wasm.ts";

/** Longest message the kernel hashes (one SHA-256 block). */
export const MAX_ID_BYTES = 55;

interface Kernel {
  memory: Uint8Array;
  input: Uint8Array;
  ids(length: number, trace: number, span: number): void;
  ids4(): void;
}

let kernel: Kernel | undefined;
let instance: WebAssembly.Instance | undefined;
/** Where the next frame goes, and where frames end (see sha256/00_sha256.wat's memory layout). */
let free = 8192;
const FRAMES_END = 65536;
const frames = new Map<string, IdFrame>();

/**
 * The thread's one instance of the export's module (SHA-256 and the item
 * writer share its memory: the writer hashes ids in the lanes `IdBatch`
 * uses). Its memory is never grown: views of it stay valid.
 */
export function exportInstance(): WebAssembly.Instance {
  return instance ??= new WebAssembly.Instance(
    new WebAssembly.Module(Uint8Array.fromBase64(SHA256_WASM_BASE64)),
  );
}

function load(): Kernel {
  if (kernel) return kernel;
  const exports = exportInstance().exports as {
    memory: WebAssembly.Memory;
    ids(length: number, trace: number, span: number): void;
    ids4(): void;
  };
  const memory = new Uint8Array(exports.memory.buffer);
  kernel = {
    memory,
    input: memory.subarray(0, MAX_ID_BYTES),
    ids: exports.ids,
    ids4: exports.ids4,
  };
  return kernel;
}

/**
 * Where an id's bytes go before a frame's `hash` (at most
 * {@linkcode MAX_ID_BYTES}); shared by every frame of the thread.
 */
export function idInput(): Uint8Array {
  return load().input;
}

/**
 * Text around a trace id's 32 hex digits and a span id's 16, in the
 * kernel's memory: `before`, the trace id, `between`, the span id, `after`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { IdFrame, idInput } from "./sha256_kernel.ts";
 * const frame = IdFrame.of("<", "|", ">");
 * idInput().set(new TextEncoder().encode("abc"));
 * frame.hash(3);
 * assert.equal(new TextDecoder().decode(frame.bytes), "<ba7816bf8f01cfea414140de5dae2223|b00361a396177a9c>");
 * ```
 */
export class IdFrame {
  /** The frame's text, with the digits of the last `hash`. */
  readonly bytes: Uint8Array;
  readonly #trace: number;
  readonly #span: number;
  /** Where the trace id's digits stand in `bytes`. */
  readonly traceAt: number;
  /** Where the span id's digits stand in `bytes`. */
  readonly spanAt: number;
  readonly #ids: Kernel["ids"];

  private constructor(before: Uint8Array, between: Uint8Array, after: Uint8Array) {
    const { memory, ids } = load();
    const size = before.length + 32 + between.length + 16 + after.length;
    if (free + size > FRAMES_END) throw new RangeError("id frames: kernel memory full");
    const at = free;
    free += size;
    this.#trace = at + before.length;
    this.#span = this.#trace + 32 + between.length;
    memory.set(before, at);
    memory.set(between, this.#trace + 32);
    memory.set(after, this.#span + 16);
    this.bytes = memory.subarray(at, at + size);
    this.traceAt = this.#trace - at;
    this.spanAt = this.#span - at;
    this.#ids = ids;
  }

  /** The frame of this text (made once per thread). */
  static of(before: string, between: string, after: string): IdFrame {
    const key = JSON.stringify([before, between, after]);
    let frame = frames.get(key);
    if (!frame) {
      const utf8 = (text: string) => new TextEncoder().encode(text);
      frame = new IdFrame(utf8(before), utf8(between), utf8(after));
      frames.set(key, frame);
    }
    return frame;
  }

  /**
   * Writes the ids of the first `length` bytes of {@linkcode idInput} (a
   * 26-byte ULID hashed in upper case, as `normalizeEventId` spells it)
   * into the frame.
   */
  hash(length: number): void {
    this.#ids(length, this.#trace, this.#span);
  }

  /** Puts ids found otherwise (32 and 16 hex digits, ASCII) into the frame. */
  set(traceHex: string, spanHex: string): void {
    const b = this.bytes;
    const at = this.#trace - b.byteOffset;
    for (let i = 0; i < 32; i++) b[at + i] = traceHex.charCodeAt(i);
    const span = this.#span - b.byteOffset;
    for (let i = 0; i < 16; i++) b[span + i] = spanHex.charCodeAt(i);
  }
}

/** How many 26-byte ids {@linkcode IdBatch} hashes at once. */
export const BATCH = 4;

/**
 * Four 26-byte ids hashed at once (each in a lane of the kernel's vectors):
 * the caller writes id `k`'s bytes into `inputs[k]`, calls `hash`, and
 * reads its 48 hex digits (the trace id's 32, the span id's 16) from
 * `hex[k]`; the same digits `IdFrame.hash(26)` writes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { IdBatch, IdFrame, idInput } from "./sha256_kernel.ts";
 * const id = new TextEncoder().encode("01khjvjwdm0hgagygxjykd1jqg");
 * const batch = IdBatch.get();
 * for (const input of batch.inputs) input.set(id);
 * batch.hash();
 * const frame = IdFrame.of("", "", "");
 * idInput().set(id);
 * frame.hash(26);
 * assert.equal(new TextDecoder().decode(batch.hex[3]), new TextDecoder().decode(frame.bytes));
 * ```
 */
export class IdBatch {
  /** Where each id's 26 bytes go. */
  readonly inputs: Uint8Array[];
  /** Each id's 48 hex digits, after `hash`. */
  readonly hex: Uint8Array[];
  /** Hashes the four ids. */
  readonly hash: () => void;
  static #batch: IdBatch | undefined;
  #user: (() => void) | undefined;

  private constructor() {
    const { memory, ids4 } = load();
    this.inputs = Array.from(
      { length: BATCH },
      (_, k) => memory.subarray(4096 + 64 * k, 4096 + 64 * k + 26),
    );
    this.hex = Array.from(
      { length: BATCH },
      (_, k) => memory.subarray(4352 + 48 * k, 4352 + 48 * k + 48),
    );
    this.hash = ids4;
  }

  /**
   * Makes `finish` (a user's way to hash what it left in the inputs) the
   * batch's user, finishing the one before: users of the thread's one
   * batch take turns.
   */
  use(finish: () => void): void {
    if (this.#user === finish) return;
    const before = this.#user;
    this.#user = finish;
    before?.();
  }

  /** The thread's batch (its memory is the kernel's: one per thread). */
  static get(): IdBatch {
    return IdBatch.#batch ??= new IdBatch();
  }
}
