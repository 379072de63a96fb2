/**
 * The WebAssembly kernel (the parts in scan/) from TypeScript: compiled on first use,
 * synchronously, from the bytes embedded in scan_wasm.ts (no file, no
 * permission, nothing fetched; about 1-2 ms). It finds newlines sixteen
 * bytes at a time, and reads the order keys of lines in the tool's layout
 * for `logInOrder` (see order_kernel.ts and docs/performance.md).
 *
 * @module
 */
import { SCAN_WASM_BASE64 } from "./scan_wasm.ts";

/** The kernel's exports (see scan/). */
export interface Kernel {
  /** Its memory: blocks are copied in, results read out. */
  memory: WebAssembly.Memory;
  /** Newline offsets of `[0, n)` as i32s at `out`; returns how many. */
  newlines(n: number, out: number): number;
  /** Order-key records of the lines of `[from, end)` at `out`; returns how many. */
  orderKeys(from: number, end: number, out: number): number;
  /** Execution-line records of at most `max` lines of `[from, end)` at `out` (see line_kernel.ts). */
  execLines(from: number, end: number, out: number, max: number): number;
  /** How many names `execLines` has remembered. */
  names: WebAssembly.Global;
  /** Forgets the names `execLines` remembered. */
  resetNames(): void;
}

let instance: Kernel | undefined;
let compiled: WebAssembly.Module | undefined;

/**
 * The kernel's module, compiled once: each user that keeps state in the
 * kernel's memory makes an instance of its own from it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { kernelModule } from "./scan_kernel.ts";
 * assert.equal(kernelModule(), kernelModule());
 * ```
 */
export function kernelModule(): WebAssembly.Module {
  compiled ??= new WebAssembly.Module(Uint8Array.fromBase64(SCAN_WASM_BASE64));
  return compiled;
}

/**
 * The kernel, compiled and instantiated on first use.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { kernel } from "./scan_kernel.ts";
 * assert.ok(kernel().memory.buffer.byteLength >= 65536);
 * ```
 */
export function kernel(): Kernel {
  loadKernel();
  return instance!;
}

/**
 * Compiles and instantiates the kernel (once); returns how long that took
 * in milliseconds (0 when it was already done).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadKernel } from "./scan_kernel.ts";
 * assert.ok(loadKernel() >= 0);
 * assert.equal(loadKernel(), 0);
 * ```
 */
export function loadKernel(): number {
  if (instance) return 0;
  const started = performance.now();
  instance = new WebAssembly.Instance(kernelModule()).exports as unknown as Kernel;
  return performance.now() - started;
}

/**
 * The offsets of the newlines in `bytes[0, end)`, in order: a view of the
 * kernel's memory, valid until the next call.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { newlineIndex } from "./scan_kernel.ts";
 * const bytes = new TextEncoder().encode("a\nbb\n" + "c".repeat(40) + "\nd");
 * assert.deepEqual([...newlineIndex(bytes, bytes.length)], [1, 4, 45]);
 * ```
 */
export function newlineIndex(bytes: Uint8Array, end: number): Int32Array {
  const k = kernel();
  // The block at 0, then room for one offset a byte (the worst case), aligned.
  const out = (end + 3) & ~3;
  const need = out + end * 4;
  const have = k.memory.buffer.byteLength;
  if (need > have) k.memory.grow(Math.ceil((need - have) / 65536));
  new Uint8Array(k.memory.buffer, 0, end).set(bytes.subarray(0, end));
  const count = k.newlines(end, out);
  return new Int32Array(k.memory.buffer, out, count);
}
