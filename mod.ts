/**
 * kitty-telemetry as a library: the event model, Lamport clocks, event
 * stores, queries and exact cost reporting that the CLI is built on.
 *
 * This is the stable surface. The byte-level readers, the parallel scanner
 * and the agent output adapters that tests and benchmarks reach into are
 * exported from `./internals` instead, and may change in any release.
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

// Event model: the one table of fields, and what derives from it
export {
  type CostKey,
  DEFAULT_GROUPS,
  ENVELOPE_FIELDS,
  ENVELOPE_KEYS,
  type EnvelopeFields,
  type FieldKind,
  type FieldSpec,
  type FieldValue,
  type GroupedKey,
  type KindValue,
  PAYLOAD_FIELDS,
  PAYLOAD_GROUPS,
  PAYLOAD_KEYS,
  type PayloadFields,
  type PayloadGroup,
  type PayloadKey,
  type PayloadRecord,
  type ReadPayloadFields,
  type RequiredKey,
  type RunKey,
  type ShareKey,
  type SummedKey,
  type TextKey,
} from "./src/event/fields.ts";
export { withDefaults } from "./src/event/field_checks.ts";
export { compareEvents, type Event } from "./src/event/envelope.ts";
export {
  EXECUTION_EVENT,
  type ExecutionEvent,
  type ExecutionInput,
  type ExecutionPayload,
  type ExecutionRecord,
  isExecutionEvent,
} from "./src/event/execution.ts";
export {
  EnvelopeSchema,
  ExecutionInputSchema,
  ExecutionPayloadSchema,
  type SafeParseResult,
  type Schema,
  type SchemaError,
  type SchemaIssue,
} from "./src/event/schemas.ts";
export { decodeLine, type DecodeResult, encodeEvent } from "./src/event/line_codec.ts";
export { isUlid, isUuid, ulidFactory, type UlidSources } from "./src/event/ulid.ts";
export { isEventId, normalizeEventId } from "./src/event/event_id.ts";

// Lamport clock
export { advance, type ClockState, LamportClock, mergeClockStates } from "./src/clock/lamport.ts";
export { type ClockRead, readClockFile, writeClockFile } from "./src/clock/clock_file.ts";

// Stores
export type { EventStore, SaveOptions } from "./src/store/event_store.ts";
export { MemoryStore } from "./src/store/memory_store.ts";
export { JsonlStore, type JsonlStoreOptions } from "./src/store/jsonl_store.ts";
export {
  findProjectRoot,
  ProjectLayout,
  type SlugOptions,
  validateFeatureSlug,
} from "./src/store/project_layout.ts";
export { type RecordContext, type Recorded, recordExecutions } from "./src/store/recorder.ts";
export type { WarningSink } from "./src/read/log_reader.ts";

// Query
export {
  type EventFilter,
  featureMatches,
  type Filterable,
  matches,
  modelKey,
  parseTimeBound,
} from "./src/query/filter.ts";
export { queryEvents, scanEvents } from "./src/query/query.ts";
export { orderedEvents, type OrderedOptions } from "./src/query/ordered.ts";

// Cost
export { CostAggregator, type Group, type Totals } from "./src/cost/aggregate.ts";
export {
  type CostedEvent,
  DEFAULT_GROUP_BY,
  GROUP_KEYS,
  type GroupKey,
  keyValue,
  OTHER_GROUPS,
} from "./src/cost/group_keys.ts";
export { type CostFields, type EventCost, eventCost, pricedAt } from "./src/cost/estimate.ts";
export { formatUsd, unitsToNumber, usdToUnits } from "./src/cost/money.ts";
export { type TokenCount } from "./src/cost/token_sum.ts";
export {
  type AliasOnly,
  findPrice,
  mergePricing,
  type ModelPrice,
  type PricePeriod,
  type PricingTable,
  type Rates,
  type Resolution,
  resolvePrice,
  type Tier,
} from "./src/cost/pricing.ts";
export { matchesRule, type MatchRule } from "./src/cost/match_rule.ts";
export {
  type Catalogue,
  type CatalogueModel,
  type CataloguePeriod,
  type CataloguePrice,
  type CatalogueProvider,
  catalogueTable,
} from "./src/cost/catalogue.ts";
export { defaultPricing } from "./src/cost/builtin_pricing.ts";
export { canonicalModel, modelSpellings } from "./src/cost/canonical_model.ts";
export { parsePricing } from "./src/cost/pricing_parse.ts";

// Reports
export {
  type CostView,
  costView,
  type CostViewOptions,
  type GroupView,
  type Repeats,
  type SortBy,
  type TotalsView,
} from "./src/report/cost_view.ts";
export { type ColumnOptions, type ExtraColumn } from "./src/report/columns.ts";
export { renderTable, type TableOptions } from "./src/report/table.ts";
export { type CsvOptions, renderCsv } from "./src/report/csv.ts";
export { renderMarkdown } from "./src/report/markdown.ts";
export { exactJson } from "./src/report/exact_json.ts";

// Verify and repair
export {
  type FeatureReport,
  type Finding,
  type FindingKind,
  type Note,
  type NoteKind,
  verifyFeature,
} from "./src/store/verify.ts";
export { repairFeature, type RepairOptions, type RepairResult } from "./src/store/repair.ts";

// Merge
export {
  type MergeConflict,
  type MergeInputs,
  mergeLogs,
  type MergeResult,
  type NonEventLine,
} from "./src/merge/merge_logs.ts";
export { cachedDecoder, type LineDecoder, type LogInput } from "./src/merge/parsed_log.ts";
export {
  type ClockInput,
  type ClockMergeResult,
  mergeClockTexts,
} from "./src/merge/clock_merge.ts";
export { importIntoFeature, type ImportOutcome } from "./src/merge/import_feature.ts";

export { DataError, InvalidInputError, KittyError } from "./src/errors.ts";
export { checkLogPath, type LogFile, openLog, type OpenLogOptions } from "./src/read/open_log.ts";
export { VERSION } from "./src/version.ts";
