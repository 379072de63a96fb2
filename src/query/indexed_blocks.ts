/**
 * `query`'s second reading of a log: the lines its index kept (see
 * `line_index.ts`, `kept_lines.ts`), copied into blocks (see `line_blocks.ts`) with the keys the index
 * kept, nothing parsed. The log is walked line by line as the first
 * reading walked it (the same block reader, the same line ends), so line
 * numbers agree; a line the index copies must end where it ended then, else
 * the log was rewritten in between and the query stops with an error
 * (appending is fine: only the bytes the index read are read).
 *
 * @module
 */
import { DataError } from "../errors.ts";
import { OVERSIZE, readBlocks } from "../read/byte_blocks.ts";
import { lineEnd, nextLine } from "../read/line_walk.ts";
import { MAX_LINE_BYTES } from "../read/log_reader.ts";
import { openLog } from "../read/open_log.ts";
import type { BlockBuilder, LineBlock } from "./line_blocks.ts";
import { ChunkLines } from "./chunk_lines.ts";
import type { KeptData } from "./kept_lines.ts";

/**
 * The kept lines of the log at `path` (its first `size` bytes, as
 * indexed), in file order, a read block's worth at a time. Without `fresh`,
 * one block is refilled each time (the caller is done with it when it asks
 * for the next); with it, each block is one it gives.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { indexLog } from "./line_index.ts";
 * import { indexedBlocks } from "./indexed_blocks.ts";
 * import { BlockBuilder } from "./line_blocks.ts";
import { ChunkLines } from "./chunk_lines.ts";
 * const path = await Deno.makeTempFile();
 * const line = '{"event_id":"01KHJVJWDM0HGAGYGXJYKD1JQG","event_type":"Note",' +
 *   '"aggregate_id":"f","lamport_clock":7,"node_id":"n1","causation_id":null,' +
 *   '"timestamp":"2026-02-16T09:12:58Z","payload":{"a": 1}}';
 * await Deno.writeTextFile(path, "junk\n" + line + "\r\n");
 * const size = (await Deno.stat(path)).size;
 * const index = await indexLog(path, size, {}, () => {}, { left: 1 << 24 });
 * const fresh = () => new BlockBuilder();
 * const [block] = await Array.fromAsync(indexedBlocks(index.store, path, size, fresh));
 * const text = new TextDecoder().decode(block.bytes.subarray(block.starts[0], block.ends[0]));
 * assert.equal(text, line.replace('{"a": 1}', '{"a":1}') + "\n");
 * assert.deepEqual([block.count, block.clocks[0], block.nodes[0]], [1, 7, "n1"]);
 * ```
 */
export async function* indexedBlocks(
  kept: KeptData,
  path: string,
  size: number,
  fresh?: () => BlockBuilder,
): AsyncGenerator<LineBlock> {
  const { pages, names, texts, textEnds, lines } = kept;
  if (lines === 0) return;
  const log = await openLog(path, { symlink: () => {} });
  if (!log) throw changed(path);
  const stream = await log.stream(0, size);
  // Streamed: lines stay in the read block (merged before the next is read); else copied.
  const inPlace = fresh ? undefined : new ChunkLines();
  let block: BlockBuilder | ChunkLines = fresh?.() ?? inPlace!;
  let number = 0;
  let k = 0; // the next kept line: line i of page p
  let p = 0;
  let i = 0;
  let page = pages[0];
  let t = 0; // the next kept text: at `at` in texts[t]
  let at = 0;
  for await (const chunk of readBlocks(stream, { maxLineBytes: MAX_LINE_BYTES })) {
    if (chunk === OVERSIZE) {
      number++;
      continue;
    }
    const { bytes, end } = chunk;
    inPlace?.clear(bytes);
    for (let start = 0; start < end && k < lines;) {
      let stop: number;
      if (page.numbers[i] === ++number) {
        const length = page.lengths[i];
        const node = names[page.nodes[i]];
        if (length >= 0) {
          stop = start + length;
          const after = bytes[stop];
          if (stop > end || (stop < end && after !== 0x0a && after !== 0x0d)) throw changed(path);
          block.addBytes(bytes, start, stop, page.clocks[i], node, number);
        } else {
          if (at + ~length + 1 > textEnds[t]) [t, at] = [t + 1, 0];
          block.addBytes(texts[t], at, at + ~length, page.clocks[i], node, number);
          at += ~length + 1;
          stop = lineEnd(chunk, start);
        }
        k++;
        if (++i === page.numbers.length) [page, i] = [pages[++p], 0];
      } else stop = lineEnd(chunk, start);
      start = nextLine(chunk, stop);
    }
    block.flush(); // before the read block is reused
    if (block.count === 0) continue;
    yield block;
    if (fresh) block = fresh();
  }
  if (k < lines) throw changed(path);
}

function changed(path: string): DataError {
  return new DataError(
    `${path}: changed while query read it (a line is not where it was a moment before); ` +
      "run the query again once nothing rewrites the log",
  );
}
