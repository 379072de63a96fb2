/**
 * Whether bytes written equal a file's, compared as they are written.
 *
 * @module
 */
import { equalBytes } from "./equal_bytes.ts";

/** A comparison in progress: what is written so far against a file. */
export interface SameBytes extends Disposable {
  /** Compares the next piece written. */
  next(bytes: Uint8Array): Promise<void>;
  /** True when the file held exactly what was written, nothing more. */
  equal(): Promise<boolean>;
}

/**
 * Compares what is written, piece by piece, with the file at `path` as it
 * stands, reading it alongside (never whole).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sameBytes } from "./same_bytes.ts";
 * const path = await Deno.makeTempFile();
 * await Deno.writeTextFile(path, "ab\n");
 * using same = await sameBytes(path);
 * await same.next(new TextEncoder().encode("ab"));
 * assert.equal(await same.equal(), false);
 * ```
 */
export async function sameBytes(path: string): Promise<SameBytes> {
  const file = await Deno.open(path, { read: true });
  let differs = false;
  let buffer = new Uint8Array(0);
  const fill = async (want: Uint8Array) => {
    if (buffer.length < want.length) buffer = new Uint8Array(want.length);
    let got = 0;
    while (got < want.length) {
      const n = await file.read(buffer.subarray(got, want.length));
      if (n === null) break;
      got += n;
    }
    return buffer.subarray(0, got);
  };
  return {
    async next(bytes: Uint8Array): Promise<void> {
      if (!differs && !equalBytes(await fill(bytes), bytes)) differs = true;
    },
    /** True when the file held exactly what was written, nothing more. */
    async equal(): Promise<boolean> {
      return !differs && (await file.read(new Uint8Array(1))) === null;
    },
    [Symbol.dispose]: () => file.close(),
  };
}
