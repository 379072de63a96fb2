/**
 * Two block buffers inside a kernel's memory, lent to one reader of blocks
 * at a time (`readBlocks`' `home`): the file is read straight into them and
 * the kernel scans a block where it was read, with no copy per block. While
 * they are lent the memory must not grow (growing detaches every view of
 * it, a read in flight included): {@linkcode KernelHome.lent} tells the
 * kernel's owner so.
 *
 * @module
 */
import type { BlockHome } from "../byte_blocks.ts";

/**
 * The buffers at `at` (`bytes` each, `gap` bytes after each that the
 * kernel's wide loads may touch) in `memory`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { KernelHome } from "./kernel_home.ts";
 * const memory = new WebAssembly.Memory({ initial: 1 });
 * const home = new KernelHome(memory, 0, 1024, 64);
 * const [a, b] = home.buffers(1024)!;
 * assert.equal(b.byteOffset - a.byteOffset, 1024 + 64);
 * assert.equal(home.buffers(1024), undefined); // lent already
 * assert.equal(home.of(a), 0);
 * home.release();
 * assert.equal(home.buffers(4096), undefined); // too small for that
 * ```
 */
export class KernelHome implements BlockHome {
  /** True while a reader has the buffers. */
  lent = false;

  constructor(
    readonly memory: WebAssembly.Memory,
    readonly at: number,
    readonly bytes: number,
    readonly gap: number,
  ) {}

  /** The two buffers of `bytes` each (undefined: lent already, or too small). */
  buffers(bytes: number): [Uint8Array, Uint8Array] | undefined {
    if (this.lent || bytes > this.bytes) return undefined;
    this.lent = true;
    const memory = this.memory.buffer;
    return [
      new Uint8Array(memory, this.at, bytes),
      new Uint8Array(memory, this.at + this.bytes + this.gap, bytes),
    ];
  }

  /** Takes the buffers back. */
  release(): void {
    this.lent = false;
  }

  /** Which buffer (0 or 1) `bytes` lies in, as lent now; -1: neither. */
  of(bytes: Uint8Array): number {
    if (!this.lent || bytes.buffer !== this.memory.buffer) return -1;
    const i = bytes.byteOffset === this.at ? 0 : 1;
    return bytes.byteOffset === this.at + i * (this.bytes + this.gap) ? i : -1;
  }
}
