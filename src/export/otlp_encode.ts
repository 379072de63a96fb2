/**
 * OTLP/JSON lines for the file exporter format: one `TracesData` or
 * `LogsData` object per line (a batch of events), the same JSON the OTLP/HTTP
 * `Export*ServiceRequest` bodies carry. Pure: rows in, strings out.
 *
 * @module
 */
import { VERSION } from "../version.ts";
import { eventAttributes, type ExportRow, LOG_EVENT_NAME, OPERATION } from "./otlp_mapping.ts";
import { spanIds } from "./otlp_ids.ts";
import { anyValue, type KeyValue, unixNanos, unixNanosBig } from "./otlp_values.ts";

/** The signals `export` writes. */
export const SIGNALS = ["traces", "logs", "metrics"] as const;
/** One OTLP signal. */
export type Signal = typeof SIGNALS[number];

/** Events per OTLP line (and per pushed request, before the size cap splits it). */
export const BATCH_EVENTS = 1000;

/** The `service.name` resource attribute. */
export const SERVICE_NAME = "kitty-telemetry";

/** OTLP `SpanKind.SPAN_KIND_INTERNAL`: the agent ran in the orchestrator's process tree. */
const SPAN_KIND_INTERNAL = 1;
/** OTLP `StatusCode.STATUS_CODE_ERROR`. */
const STATUS_ERROR = 2;
/** OTLP `SeverityNumber`: INFO for a run, ERROR for a failed one. */
const SEVERITY_INFO = 9;
const SEVERITY_ERROR = 17;

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

/**
 * One `TracesData` line: a span per event, `invoke_agent {agent}`, from
 * timestamp − duration to timestamp, status error when the run failed.
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
  const spans = rows.map((row) => {
    const end = unixNanosBig(row.event.timestamp);
    const start = end - BigInt(row.event.payload.duration_ms ?? 0) * 1_000_000n;
    const failed = row.event.payload.success === false;
    return {
      ...spanIds(row.event.event_id),
      name: `${OPERATION} ${row.event.payload.agent}`,
      kind: SPAN_KIND_INTERNAL,
      startTimeUnixNano: String(start),
      endTimeUnixNano: String(end),
      attributes: eventAttributes(row),
      ...(failed
        ? {
          status: { code: STATUS_ERROR, message: (row.event.payload.error ?? "").slice(0, 1024) },
        }
        : {}),
    };
  });
  return JSON.stringify({
    resourceSpans: [{ resource: resource(project), scopeSpans: [{ scope: SCOPE, spans }] }],
  });
}

/**
 * One `LogsData` line: a record per event, named `kitty.execution`, at the
 * event's timestamp, with the span's attributes and its trace and span ids.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { logsLine } from "./otlp_encode.ts";
 * assert.deepEqual(JSON.parse(logsLine([], "p")).resourceLogs[0].scopeLogs[0].logRecords, []);
 * ```
 */
export function logsLine(rows: readonly ExportRow[], project: string): string {
  const logRecords = rows.map((row) => {
    const time = unixNanos(row.event.timestamp);
    const failed = row.event.payload.success === false;
    return {
      timeUnixNano: time,
      observedTimeUnixNano: time,
      severityNumber: failed ? SEVERITY_ERROR : SEVERITY_INFO,
      severityText: failed ? "ERROR" : "INFO",
      eventName: LOG_EVENT_NAME,
      body: anyValue("string", LOG_EVENT_NAME),
      attributes: eventAttributes(row),
      ...spanIds(row.event.event_id),
    };
  });
  return JSON.stringify({
    resourceLogs: [{ resource: resource(project), scopeLogs: [{ scope: SCOPE, logRecords }] }],
  });
}
