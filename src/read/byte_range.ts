/**
 * Splitting a file into byte ranges that start and end on line boundaries,
 * so several workers can read one large log at once.
 *
 * @module
 */
import type { ByteReader } from "./byte_blocks.ts";

/**
 * How {@linkcode rangeStream} and {@linkcode rangeReader} read on this
 * thread: with `sync` set, each read is a `readSync` on the calling thread
 * rather than a task handed to the runtime's pool of blocking threads. For
 * threads that each read and scan at once (`query`'s index on this thread
 * and its workers): on 2 cores the pool's threads need a third one, and
 * waited for it (see docs/performance.md). Unset by default.
 */
export const readMode: { sync: boolean } = { sync: false };

/**
 * Bytes read by {@linkcode rangeStream} and {@linkcode rangeReader} on this
 * thread, told as they are read (once per read of up to a block, never per
 * line) to `onRead` when a caller set it: how the CLI's progress line sees every log reader move
 * without a callback threaded through each. Unset (the default, and in
 * every worker): one check per read.
 */
export const readMeter: { onRead: ((bytes: number) => void) | undefined } = {
  onRead: undefined,
};

/** How far past a cut's place its line's end is looked for. */
const MAX_PROBE = 1 << 20;

/** A half-open byte range `[start, end)` of whole lines. */
export interface ByteRange {
  /** Offset of the range's first line (0, or just after a newline). */
  start: number;
  /** Offset just past its last newline, or the file's size. */
  end: number;
}

/**
 * Splits a file of `size` bytes into at most `parts` ranges of whole lines:
 * each cut moves forward to just after the next newline, looked for up to
 * the next cut's place and a megabyte at most (`stats` counts the bytes
 * read), so cutting reads a bounded part of a file whatever its shape,
 * and a file with few or no newlines is not read once more to be cut.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { lineRanges } from "./byte_range.ts";
 * const path = await Deno.makeTempFile();
 * await Deno.writeTextFile(path, "aaaa\nbb\ncccccc\n");
 * const ranges = await lineRanges(path, 15, 2);
 * assert.ok(JSON.stringify(ranges) === '[{"start":0,"end":8},{"start":8,"end":15}]');
 * ```
 */
export async function lineRanges(
  path: string,
  size: number,
  parts: number,
  stats: { bytesRead: number } = { bytesRead: 0 },
): Promise<ByteRange[]> {
  if (parts <= 1 || size === 0) return [{ start: 0, end: size }];
  using file = await Deno.open(path, { read: true });
  const cuts = [0];
  const probe = new Uint8Array(64 * 1024);
  for (let i = 1; i < parts; i++) {
    // The line containing byte `at - 1` ends the previous range; its end is
    // looked for up to the next cut's place (a megabyte at most): a line
    // longer than that joins two ranges, and no byte is read twice.
    let at = Math.max(Math.floor((size * i) / parts), cuts[cuts.length - 1], 1) - 1;
    const stop = Math.min(Math.floor((size * (i + 1)) / parts), at + MAX_PROBE);
    if (at >= stop) continue;
    await file.seek(at, Deno.SeekMode.Start);
    while (at < stop) {
      const n = await file.read(probe.subarray(0, Math.min(probe.length, stop - at)));
      if (n === null) break;
      stats.bytesRead += n;
      const nl = probe.subarray(0, n).indexOf(0x0a);
      if (nl !== -1) {
        const cut = at + nl + 1;
        if (cut > cuts[cuts.length - 1] && cut < size) cuts.push(cut);
        break;
      }
      at += n;
    }
  }
  cuts.push(size);
  return cuts.slice(1).map((end, i) => ({ start: cuts[i], end }));
}

/**
 * The bytes of `[start, end)` of a file as a byte stream (`end` may be
 * `Infinity`: to the end of the file). A reader in BYOB mode gets the bytes
 * read straight into its own buffer, so a scan reuses one buffer and makes
 * no garbage per read (with a fresh chunk per read, V8 let ~50 MB of them
 * pile up before collecting); a default reader gets chunks of `chunkBytes`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rangeStream } from "./byte_range.ts";
 * const path = await Deno.makeTempFile();
 * await Deno.writeTextFile(path, "hello world");
 * assert.ok((await new Response(await rangeStream(path, 6, 11)).text()) === "world");
 * ```
 */
export async function rangeStream(
  path: string,
  start: number,
  end: number,
  chunkBytes: number = 64 * 1024,
): Promise<ReadableStream<Uint8Array>> {
  const file = await Deno.open(path, { read: true });
  await file.seek(start, Deno.SeekMode.Start);
  let position = start;
  const finish = (controller: ReadableByteStreamController) => {
    file.close();
    controller.close();
    controller.byobRequest?.respond(0);
  };
  return new ReadableStream({
    type: "bytes",
    autoAllocateChunkSize: chunkBytes,
    async pull(controller) {
      const request = controller.byobRequest!;
      const view = request.view as Uint8Array;
      const want = Math.min(view.byteLength, end - position);
      if (want <= 0) return finish(controller);
      const part = view.subarray(0, want);
      const n = readMode.sync ? file.readSync(part) : await file.read(part);
      if (n === null) return finish(controller);
      position += n;
      readMeter.onRead?.(n);
      request.respond(n);
    },
    cancel() {
      file.close();
    },
  });
}

/**
 * The bytes of `[start, end)` of a file read straight into the caller's
 * buffers, which are not transferred (a WebAssembly memory's cannot be, so
 * a byte stream cannot fill them): see `readBlocks`' `home`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rangeReader } from "./byte_range.ts";
 * const path = await Deno.makeTempFile();
 * await Deno.writeTextFile(path, "hello world");
 * const reader = await rangeReader(path, 6, 10);
 * const into = new Uint8Array(8);
 * assert.equal(await reader.read(into), 4);
 * assert.equal(await reader.read(into), 0);
 * reader.close();
 * ```
 */
export async function rangeReader(path: string, start: number, end: number): Promise<ByteReader> {
  const file = await Deno.open(path, { read: true });
  await file.seek(start, Deno.SeekMode.Start);
  let position = start;
  return {
    async read(into: Uint8Array): Promise<number> {
      const want = Math.min(into.length, end - position);
      if (want <= 0) return 0;
      const part = into.subarray(0, want);
      const n = readMode.sync ? file.readSync(part) : await file.read(part);
      if (n === null) return 0;
      position += n;
      readMeter.onRead?.(n);
      return n;
    },
    close: () => file.close(),
  };
}
