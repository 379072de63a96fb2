/**
 * kitty-telemetry as a library: the event model, Lamport clocks, event
 * stores, queries and exact cost reporting that the CLI is built on.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { JsonlStore, recordExecutions, ulidFactory } from "./mod.ts";
 * const root = await Deno.makeTempDir();
 * const store = new JsonlStore(root);
 * const [recorded] = await recordExecutions(store.layout, "043-demo", [{
 *   wp_id: "WP01", agent: "claude", role: "implementer", model: "claude-sonnet-4-5",
 *   input_tokens: 12000, output_tokens: 3400, duration_ms: 81234,
 * }], { nodeId: "n1", now: () => new Date(), newId: ulidFactory(), onWarning: console.warn });
 * assert.ok((await store.loadAggregate("043-demo"))[0].event_id === recorded.event.event_id);
 * ```
 *
 * @module
 */
export { compareEvents, EnvelopeSchema, type Event } from "./src/event/envelope.ts";
export {
  EXECUTION_EVENT,
  type ExecutionEvent,
  type ExecutionInput,
  ExecutionInputSchema,
  type ExecutionPayload,
  ExecutionPayloadSchema,
  type ExecutionRecord,
  isExecutionEvent,
} from "./src/event/execution.ts";
export { decodeLine, type DecodeResult, encodeEvent } from "./src/event/line_codec.ts";
export { isUlid, isUuid, ulidFactory } from "./src/event/ulid.ts";
export { advance, type ClockState, LamportClock, mergeClockStates } from "./src/clock/lamport.ts";
export { readClockFile, writeClockFile } from "./src/clock/clock_file.ts";
export type { EventStore, SaveOptions } from "./src/store/event_store.ts";
export { MemoryStore } from "./src/store/memory_store.ts";
export { JsonlStore, type JsonlStoreOptions } from "./src/store/jsonl_store.ts";
export { findProjectRoot, ProjectLayout, validateFeatureSlug } from "./src/store/project_layout.ts";
export { type RecordContext, type Recorded, recordExecutions } from "./src/store/recorder.ts";
export { readLines } from "./src/read/line_reader.ts";
export { type EventFilter, featureMatches, matches, parseTimeBound } from "./src/query/filter.ts";
export { queryEvents, scanEvents } from "./src/query/query.ts";
export { orderedEvents, type OrderedOptions } from "./src/query/ordered.ts";
export { readBlocks } from "./src/read/byte_blocks.ts";
export { CostAggregator, GROUP_KEYS, type GroupKey } from "./src/cost/aggregate.ts";
export { type EventCost, eventCost } from "./src/cost/estimate.ts";
export { formatUsd, unitsToNumber, usdToUnits } from "./src/cost/money.ts";
export { findPrice, mergePricing, type PricingTable } from "./src/cost/pricing.ts";
export { defaultPricing, readPricingFile } from "./src/cost/pricing_file.ts";
export { parsePricing } from "./src/cost/pricing_parse.ts";
export { type CostView, costView } from "./src/report/cost_view.ts";
export { renderTable } from "./src/report/table.ts";
export { renderCsv } from "./src/report/csv.ts";
export { renderMarkdown } from "./src/report/markdown.ts";
export { type FeatureReport, type Finding, verifyFeature } from "./src/store/verify.ts";
export { repairFeature, type RepairResult } from "./src/store/repair.ts";
export { mergeLogs, type MergeResult } from "./src/merge/merge_logs.ts";
export { mergeClockTexts } from "./src/merge/clock_merge.ts";
export { importIntoFeature } from "./src/merge/import_feature.ts";
export { type AdaptedRun, type AdapterName, ADAPTERS } from "./src/adapters/adapter.ts";
export { parallelScan, type ReducerModule } from "./src/read/parallel_scan.ts";
export { type LineProblem, scanLog, scanLogBatches } from "./src/read/log_reader.ts";
export { DataError, InvalidInputError } from "./src/errors.ts";
export { VERSION } from "./src/version.ts";
