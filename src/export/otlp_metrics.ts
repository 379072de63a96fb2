/**
 * Cumulative monotonic sums for metric backends: `kitty.cost.usage` (USD)
 * and `kitty.token.usage` (tokens by `gen_ai.token.type`), per feature,
 * agent, role and canonical model, from the first to the last event's time.
 * (The GenAI token histogram is being replaced upstream; these are sums.)
 *
 * @module
 */
import { formatUsd } from "../cost/money.ts";
import { nameKey } from "../event/name_key.ts";
import { TokenSum } from "../cost/token_sum.ts";
import type { ExportRow } from "./otlp_mapping.ts";
import { resource, SCOPE } from "./otlp_encode.ts";
import type { KeyValue } from "./otlp_values.ts";
import { nanosText, unixMicros } from "./otlp_values.ts";

/** OTLP `AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE`. */
const CUMULATIVE = 2;

/** The token kinds of `kitty.token.usage`, each read from the event. */
const TOKEN_TYPES: readonly [string, (row: ExportRow) => number | null][] = [
  ["input", (r) => r.event.payload.input_tokens],
  ["output", (r) => r.event.payload.output_tokens],
  ["cache_read", (r) => r.event.payload.cache_read_tokens],
  ["cache_creation", (r) => r.event.payload.cache_write_tokens],
];

interface Series {
  attributes: KeyValue[];
  costUnits: bigint;
  /** Exact past 2**53 too, in any order (the file export and the push add rows in different orders). */
  tokens: TokenSum[];
  /** Microseconds since 1970. */
  start: number;
  end: number;
}

/** Folds rows into one series per (feature, agent, role, model); memory grows with the series only. */
export class MetricsFold {
  #series = new Map<string, Series>();

  /** Adds one event. */
  add(row: ExportRow): void {
    const p = row.event.payload;
    // Names as `cost` groups them: one series per name whatever its Unicode spelling.
    const labels = [
      nameKey(row.event.aggregate_id),
      nameKey(p.agent ?? ""),
      nameKey(p.role ?? ""),
      row.canonicalModel ?? "",
    ];
    const key = JSON.stringify(labels);
    const time = row.micros ?? unixMicros(row.event.timestamp);
    let found = this.#series.get(key);
    if (!found) {
      found = {
        attributes: [
          { key: "kitty.feature", value: { stringValue: labels[0] } },
          { key: "gen_ai.agent.name", value: { stringValue: labels[1] } },
          { key: "kitty.role", value: { stringValue: labels[2] } },
          ...(row.canonicalModel === null
            ? []
            : [{ key: "kitty.model", value: { stringValue: row.canonicalModel } }]),
        ],
        costUnits: 0n,
        tokens: TOKEN_TYPES.map(() => new TokenSum()),
        start: time,
        end: time,
      };
      this.#series.set(key, found);
    }
    const s = found;
    s.costUnits += row.cost.units;
    TOKEN_TYPES.forEach(([, of], i) => s.tokens[i].add(of(row) ?? 0));
    if (time < s.start) s.start = time;
    if (time > s.end) s.end = time;
  }

  /**
   * The `MetricsData` line (empty metrics when no event was added).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { MetricsFold } from "./otlp_metrics.ts";
   * const line = JSON.parse(new MetricsFold().line("p"));
   * assert.deepEqual(line.resourceMetrics[0].scopeMetrics[0].metrics, []);
   * ```
   */
  line(project: string): string {
    const series = [...this.#series.values()];
    const times = (s: Series) => ({
      startTimeUnixNano: nanosText(s.start),
      timeUnixNano: nanosText(s.end),
    });
    const metrics = series.length === 0 ? [] : [
      {
        name: "kitty.cost.usage",
        description: "Cost of agent runs, as `kitty-telemetry cost` counts it",
        unit: "USD",
        sum: {
          aggregationTemporality: CUMULATIVE,
          isMonotonic: true,
          dataPoints: series.map((s) => ({
            attributes: s.attributes,
            ...times(s),
            asDouble: Number(formatUsd(s.costUnits)),
          })),
        },
      },
      {
        name: "kitty.token.usage",
        description: "Tokens used by agent runs, by gen_ai.token.type",
        unit: "{token}",
        sum: {
          aggregationTemporality: CUMULATIVE,
          isMonotonic: true,
          dataPoints: series.flatMap((s) =>
            TOKEN_TYPES.map(([type], i) => ({
              attributes: [...s.attributes, {
                key: "gen_ai.token.type",
                value: { stringValue: type },
              }],
              ...times(s),
              asInt: String(s.tokens[i].value()),
            }))
          ),
        },
      },
    ];
    return JSON.stringify({
      resourceMetrics: [{ resource: resource(project), scopeMetrics: [{ scope: SCOPE, metrics }] }],
    });
  }
}
