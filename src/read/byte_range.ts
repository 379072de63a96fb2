/**
 * Splitting a file into byte ranges that start and end on line boundaries,
 * so several workers can read one large log at once.
 *
 * @module
 */

/** A half-open byte range `[start, end)` of whole lines. */
export interface ByteRange {
  /** Offset of the range's first line (0, or just after a newline). */
  start: number;
  /** Offset just past its last newline, or the file's size. */
  end: number;
}

/**
 * Splits a file of `size` bytes into at most `parts` ranges of whole lines:
 * each cut moves forward to just after the next newline. Reads each byte
 * about once whatever the file's shape (`stats` counts them), so a file
 * with few or no newlines costs no more than one with many.
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
    let at = Math.max(Math.floor((size * i) / parts), cuts[cuts.length - 1]);
    // The line containing byte `at - 1` ends the previous range.
    let cut = size;
    await file.seek(Math.max(at - 1, 0), Deno.SeekMode.Start);
    at = Math.max(at - 1, 0);
    while (true) {
      const n = await file.read(probe);
      if (n === null) break;
      stats.bytesRead += n;
      const nl = probe.subarray(0, n).indexOf(0x0a);
      if (nl !== -1) {
        cut = at + nl + 1;
        break;
      }
      at += n;
    }
    // No newline up to the end: no later cut can find one either (scanning
    // on for each would read the rest of the file once per cut).
    if (cut === size) break;
    if (cut > cuts[cuts.length - 1]) cuts.push(cut);
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
      const n = await file.read(view.subarray(0, want));
      if (n === null) return finish(controller);
      position += n;
      request.respond(n);
    },
    cancel() {
      file.close();
    },
  });
}
