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
  /** Reported costs and estimates past 2^53 units. */
  costUnits: bigint;
  /** Estimates below 2^53 units (most of them), summed with no BigInt made per event. */
  costSmall: TokenSum;
  /** Exact past 2**53 too, in any order (the file export and the push add rows in different orders). */
  tokens: TokenSum[];
  /** Microseconds since 1970. */
  start: number;
  end: number;
}

/** Raw spellings to their series: feature, agent, role, then canonical model. */
type ByRaw = Map<string, Map<string, Map<string, Map<string, Series>>>>;

/** The inner map of `outer` at `key`, made when missing. */
function inner<K, V>(outer: Map<K, V>, key: K, make: () => V): V {
  let found = outer.get(key);
  if (found === undefined) outer.set(key, found = make());
  return found;
}

/** Folds rows into one series per (feature, agent, role, model); memory grows with the series only. */
export class MetricsFold {
  #series = new Map<string, Series>();
  /** Each distinct spelling's series, found with no key made or name normalised per event. */
  #byRaw: ByRaw = new Map();

  /** Adds one event. */
  add(row: ExportRow): void {
    const event = row.event;
    const p = event.payload;
    const model = row.canonicalModel ?? "";
    const roles = inner(
      inner(this.#byRaw, event.aggregate_id, () => new Map()),
      p.agent ?? "",
      () => new Map(),
    );
    const models = inner(roles, p.role ?? "", () => new Map());
    let s = models.get(model);
    if (s === undefined) {
      s = this.#seriesOf(event.aggregate_id, p.agent ?? "", p.role ?? "", row.canonicalModel);
      models.set(model, s);
    }
    const time = row.micros ?? unixMicros(event.timestamp);
    const cost = row.cost as typeof row.cost & { small?: number };
    const small = cost.small;
    if (small !== undefined && small >= 0 && small < 2 ** 53) s.costSmall.add(small);
    else s.costUnits += cost.units;
    const tokens = s.tokens;
    for (let i = 0; i < TOKEN_TYPES.length; i++) tokens[i].add(TOKEN_TYPES[i][1](row) ?? 0);
    if (time < s.start) s.start = time;
    if (time > s.end) s.end = time;
  }

  /** The series of a spelling: names as `cost` groups them, one series whatever their Unicode spelling. */
  #seriesOf(feature: string, agent: string, role: string, model: string | null): Series {
    const labels = [nameKey(feature), nameKey(agent), nameKey(role), model ?? ""];
    const key = JSON.stringify(labels);
    let found = this.#series.get(key);
    if (!found) {
      found = {
        attributes: [
          { key: "kitty.feature", value: { stringValue: labels[0] } },
          { key: "gen_ai.agent.name", value: { stringValue: labels[1] } },
          { key: "kitty.role", value: { stringValue: labels[2] } },
          ...(model === null ? [] : [{ key: "kitty.model", value: { stringValue: model } }]),
        ],
        costUnits: 0n,
        costSmall: new TokenSum(),
        tokens: TOKEN_TYPES.map(() => new TokenSum()),
        start: Infinity,
        end: -Infinity,
      };
      this.#series.set(key, found);
    }
    return found;
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
            asDouble: Number(formatUsd(s.costUnits + s.costSmall.value())),
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
