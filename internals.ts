/**
 * Unstable internals of kitty-telemetry: the byte-level line readers, the
 * multi-core log scanner and the agent output adapters. Tests and benchmarks
 * use them; they change with the read path and follow no semver promise.
 * Prefer the stable surface in `mod.ts` (`queryEvents`, `scanEvents`,
 * `orderedEvents`, `CostAggregator`) unless you are measuring or testing
 * these pieces themselves.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readLines } from "./internals.ts";
 * const lines = [];
 * for await (const line of readLines(new Blob(["a\nb"]).stream())) lines.push(line.text);
 * assert.deepEqual(lines, ["a", "b"]);
 * ```
 *
 * @module
 */

// Line and byte readers
export { type Line, readLines, type ReadLinesOptions } from "./src/read/line_reader.ts";
export { CarryBytes } from "./src/read/carry_bytes.ts";
export {
  type BlockHome,
  type ByteReader,
  DECODE_LINE,
  type LineSink,
  OVERSIZE,
  readBlocks,
  type ReadBlocksOptions,
} from "./src/read/byte_blocks.ts";
export { ByteChunk } from "./src/read/byte_scan.ts";
export type { ByteRange } from "./src/read/byte_range.ts";
export {
  type LineProblem,
  MAX_LINE_BYTES,
  scanLog,
  scanLogBatches,
} from "./src/read/log_reader.ts";

export { type EventSink, lineSinkOf, readLog } from "./src/read/event_sink.ts";
export { type FoldPlan, type FoldPrice, type FoldSums } from "./src/read/wasm/fold_table.ts";
export { type ExecutionView, type ExecutionViewPayload, LINE } from "./src/read/line_view.ts";
export { type VerbatimReader } from "./src/read/other_lines.ts";

// Multi-core scanning
export {
  type ParallelOptions,
  parallelScan,
  type Reducer,
  type ReducerModule,
} from "./src/read/parallel_scan.ts";

// Agent output adapters (`emit --from`)
export {
  type AdaptedRun,
  type Adapter,
  type AdapterName,
  ADAPTERS,
} from "./src/adapters/adapter.ts";
