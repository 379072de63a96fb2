/**
 * OTLP/JSON lines for the file exporter format: one `TracesData` or
 * `LogsData` object per line (a batch of events), the same JSON the OTLP/HTTP
 * `Export*ServiceRequest` bodies carry. Pure: rows in, strings out.
 *
 * @module
 */
import { VERSION } from "../version.ts";
import { attributesJson, type ExportRow, LOG_EVENT_NAME, OPERATION } from "./otlp_mapping.ts";
import { spanIds } from "./otlp_ids.ts";
import { wellFormedCut } from "./well_formed.ts";
import { type KeyValue, nanosText, startNanosText, unixMicros } from "./otlp_values.ts";

/** The signals `export` writes. */
export const SIGNALS = ["traces", "logs", "metrics"] as const;
/** One OTLP signal. */
export type Signal = typeof SIGNALS[number];

/** Events per OTLP line (and per pushed request, before the size cap splits it). */
export const BATCH_EVENTS = 1000;

/** The `service.name` resource attribute. */
export const SERVICE_NAME = "kitty-telemetry";

/** OTLP `SpanKind.SPAN_KIND_INTERNAL`: the agent ran in the orchestrator's process tree. */
export const SPAN_KIND_INTERNAL = 1;
/** OTLP `StatusCode.STATUS_CODE_ERROR`. */
export const STATUS_ERROR = 2;
/** OTLP `SeverityNumber` of a run's record. */
export const SEVERITY_INFO = 9;
/** OTLP `SeverityNumber` of a failed run's record. */
export const SEVERITY_ERROR = 17;

/** The resource every line names: this tool and the project. */
export function resource(project: string): { attributes: KeyValue[] } {
  return {
    attributes: [
      { key: "service.name", value: { stringValue: SERVICE_NAME } },
      { key: "service.version", value: { stringValue: VERSION } },
      { key: "kitty.project", value: { stringValue: project } },
    ],
  };
}

/** The instrumentation scope of every line. */
export const SCOPE = { name: SERVICE_NAME, version: VERSION };

/** The JSON text of a line's resource and scope, before its items. */
function head(project: string, resourceKey: string, scopeKey: string, itemsKey: string): string {
  return `{"${resourceKey}":[{"resource":${
    JSON.stringify(resource(project))
  },"${scopeKey}":[{"scope":${JSON.stringify(SCOPE)},"${itemsKey}":[`;
}

const TAIL = "]}]}]}";

/** What a line of each item signal is made of: its keys and how one item is written. */
const LINE_KEYS = {
  traces: ["resourceSpans", "scopeSpans", "spans"],
  logs: ["resourceLogs", "scopeLogs", "logRecords"],
} as const;

/** The signals written as one item per event. */
export type ItemSignal = keyof typeof LINE_KEYS;

/**
 * A span's name: `invoke_agent {agent}`, or `invoke_agent` alone when the
 * agent is unknown (as the GenAI conventions name it; not "invoke_agent null").
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { spanName } from "./otlp_encode.ts";
 * assert.equal(spanName("codex"), "invoke_agent codex");
 * assert.equal(spanName(null), "invoke_agent");
 * ```
 */
export function spanName(agent: string | null): string {
  return agent === null ? OPERATION : `${OPERATION} ${agent}`;
}

/** A failed span's status message: its error, cut to 1,024 characters, well-formed. */
export function statusMessage(error: string | null): string {
  return wellFormedCut(error ?? "", 1024);
}

/**
 * One span's JSON text: `invoke_agent {agent}`, from timestamp − duration
 * to timestamp, status error when the run failed.
 */
export function spanJson(row: ExportRow): string {
  const micros = unixMicros(row.event.timestamp);
  const end = nanosText(micros);
  const start = startNanosText(micros, row.event.payload.duration_ms ?? 0);
  const ids = spanIds(row.event.event_id);
  const status = row.event.payload.success === false
    ? `,"status":{"code":${STATUS_ERROR},"message":${
      JSON.stringify(statusMessage(row.event.payload.error))
    }}`
    : "";
  return `{"traceId":"${ids.traceId}","spanId":"${ids.spanId}","name":${
    JSON.stringify(spanName(row.event.payload.agent))
  },"kind":${SPAN_KIND_INTERNAL},"startTimeUnixNano":"${start}","endTimeUnixNano":"${end}",` +
    `"attributes":[${attributesJson(row)}]${status}}`;
}

const LOG_NAME_JSON = JSON.stringify(LOG_EVENT_NAME);

/**
 * One log record's JSON text: named `kitty.execution`, at the event's
 * timestamp, with the span's attributes and its trace and span ids.
 */
export function logRecordJson(row: ExportRow): string {
  const time = nanosText(unixMicros(row.event.timestamp));
  const failed = row.event.payload.success === false;
  const ids = spanIds(row.event.event_id);
  return `{"timeUnixNano":"${time}","observedTimeUnixNano":"${time}",` +
    `"severityNumber":${failed ? SEVERITY_ERROR : SEVERITY_INFO},"severityText":"${
      failed ? "ERROR" : "INFO"
    }","eventName":${LOG_NAME_JSON},"body":{"stringValue":${LOG_NAME_JSON}},"attributes":[${
      attributesJson(row)
    }],"traceId":"${ids.traceId}","spanId":"${ids.spanId}"}`;
}

/** How one item of each item signal is written. */
export const ITEM_JSON: Readonly<Record<ItemSignal, (row: ExportRow) => string>> = {
  traces: spanJson,
  logs: logRecordJson,
};

/**
 * One line of `signal` around items already written as JSON text (by
 * {@linkcode ITEM_JSON}).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { itemsLine } from "./otlp_encode.ts";
 * const line = JSON.parse(itemsLine("logs", ['{"eventName":"x"}'], "p"));
 * assert.deepEqual(line.resourceLogs[0].scopeLogs[0].logRecords, [{ eventName: "x" }]);
 * ```
 */
export function itemsLine(signal: ItemSignal, items: readonly string[], project: string): string {
  const { open, close } = lineEnds(signal, project);
  return open + items.join(",") + close;
}

/**
 * The text of a line of `signal` before its first item and after its last,
 * for writers that write a line in pieces.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { lineEnds } from "./otlp_encode.ts";
 * const { open, close } = lineEnds("traces", "p");
 * assert.deepEqual(JSON.parse(open + close).resourceSpans[0].scopeSpans[0].spans, []);
 * ```
 */
export function lineEnds(signal: ItemSignal, project: string): { open: string; close: string } {
  const [resourceKey, scopeKey, itemsKey] = LINE_KEYS[signal];
  return { open: head(project, resourceKey, scopeKey, itemsKey), close: TAIL };
}

/**
 * One `TracesData` line: a span per event (see {@linkcode spanJson}).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tracesLine } from "./otlp_encode.ts";
 * const line = JSON.parse(tracesLine([], "p"));
 * assert.deepEqual(line.resourceSpans[0].scopeSpans[0].spans, []);
 * ```
 */
export function tracesLine(rows: readonly ExportRow[], project: string): string {
  return itemsLine("traces", rows.map(spanJson), project);
}

/**
 * One `LogsData` line: a record per event (see {@linkcode logRecordJson}).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { logsLine } from "./otlp_encode.ts";
 * assert.deepEqual(JSON.parse(logsLine([], "p")).resourceLogs[0].scopeLogs[0].logRecords, []);
 * ```
 */
export function logsLine(rows: readonly ExportRow[], project: string): string {
  return itemsLine("logs", rows.map(logRecordJson), project);
}
