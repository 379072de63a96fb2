/**
 * The WebAssembly kernel (scan.wat) from TypeScript: the offsets of every
 * newline in a block, found sixteen bytes at a time. Compiled on first use,
 * synchronously, from the bytes embedded in scan_wasm.ts (no file, no
 * permission, nothing fetched).
 *
 * Not on the default read path: per line, the readers' time goes to
 * checking values, not to finding line ends (see docs/performance.md).
 *
 * @module
 */
import { decodeBase64 } from "./base64.ts";
import { SCAN_WASM_BASE64 } from "./scan_wasm.ts";

interface Kernel {
  memory: WebAssembly.Memory;
  newlines(n: number, out: number): number;
}

let kernel: Kernel | undefined;

/**
 * Compiles and instantiates the kernel (once); returns how long that took
 * in milliseconds (0 when it was already done).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadKernel } from "./newline_index.ts";
 * assert.ok(loadKernel() >= 0);
 * assert.equal(loadKernel(), 0);
 * ```
 */
export function loadKernel(): number {
  if (kernel) return 0;
  const started = performance.now();
  const module = new WebAssembly.Module(decodeBase64(SCAN_WASM_BASE64) as BufferSource);
  kernel = new WebAssembly.Instance(module).exports as unknown as Kernel;
  return performance.now() - started;
}

/**
 * The offsets of the newlines in `bytes[0, end)`, in order: a view of the
 * kernel's memory, valid until the next call.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { newlineIndex } from "./newline_index.ts";
 * const bytes = new TextEncoder().encode("a\nbb\n" + "c".repeat(40) + "\nd");
 * assert.deepEqual([...newlineIndex(bytes, bytes.length)], [1, 4, 45]);
 * ```
 */
export function newlineIndex(bytes: Uint8Array, end: number): Int32Array {
  loadKernel();
  const k = kernel!;
  // The block at 0, then room for one offset a byte (the worst case), aligned.
  const out = (end + 3) & ~3;
  const need = out + end * 4;
  const have = k.memory.buffer.byteLength;
  if (need > have) k.memory.grow(Math.ceil((need - have) / 65536));
  new Uint8Array(k.memory.buffer, 0, end).set(bytes.subarray(0, end));
  const count = k.newlines(end, out);
  return new Int32Array(k.memory.buffer, out, count);
}
