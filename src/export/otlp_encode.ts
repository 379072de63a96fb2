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
import { type KeyValue, unixNanos, unixNanosBig } from "./otlp_values.ts";

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

/** The JSON text of a line's resource and scope, before its items. */
function head(project: string, resourceKey: string, scopeKey: string, itemsKey: string): string {
  return `{"${resourceKey}":[{"resource":${
    JSON.stringify(resource(project))
  },"${scopeKey}":[{"scope":${JSON.stringify(SCOPE)},"${itemsKey}":[`;
}

const TAIL = "]}]}]}";

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
  let out = head(project, "resourceSpans", "scopeSpans", "spans");
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    const end = unixNanosBig(row.event.timestamp);
    const start = end - BigInt(row.event.payload.duration_ms ?? 0) * 1_000_000n;
    const ids = spanIds(row.event.event_id);
    const status = row.event.payload.success === false
      ? `,"status":{"code":${STATUS_ERROR},"message":${
        JSON.stringify((row.event.payload.error ?? "").slice(0, 1024))
      }}`
      : "";
    out +=
      `${i === 0 ? "" : ","}{"traceId":"${ids.traceId}","spanId":"${ids.spanId}","name":${
        JSON.stringify(`${OPERATION} ${row.event.payload.agent}`)
      },"kind":${SPAN_KIND_INTERNAL},"startTimeUnixNano":"${start}","endTimeUnixNano":"${end}",` +
      `"attributes":[${attributesJson(row)}]${status}}`;
  }
  return out + TAIL;
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
  let out = head(project, "resourceLogs", "scopeLogs", "logRecords");
  const name = JSON.stringify(LOG_EVENT_NAME);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    const time = unixNanos(row.event.timestamp);
    const failed = row.event.payload.success === false;
    const ids = spanIds(row.event.event_id);
    out += `${i === 0 ? "" : ","}{"timeUnixNano":"${time}","observedTimeUnixNano":"${time}",` +
      `"severityNumber":${failed ? SEVERITY_ERROR : SEVERITY_INFO},"severityText":"${
        failed ? "ERROR" : "INFO"
      }","eventName":${name},"body":{"stringValue":${name}},"attributes":[${
        attributesJson(row)
      }],"traceId":"${ids.traceId}","spanId":"${ids.spanId}"}`;
  }
  return out + TAIL;
}
