/**
 * The field table as validators, without a schema library: each kind's
 * check from `field_checks.ts`, null where a row allows it, its default where
 * it has one, and objects of rows that keep or reject unknown keys. The
 * issues (code, path, message, first one first) are worded as zod 4 words
 * them, which the tests hold them to (`schema_oracle_test.ts`), since the
 * messages reach warnings, errors and golden files. Loading this costs a few
 * small modules where zod cost 25-35 ms on every run and in every worker.
 *
 * @module
 */
import type { FieldKind, FieldSpec } from "./fields.ts";
import { KIND_CHECKS, KIND_WORDING, NUMBER_RANGES, type NumberKind } from "./field_checks.ts";
import { MAX_LAMPORT_CLOCK } from "./clock_ceiling.ts";
import { nameProblem } from "./text_rules.ts";

/** One reason a value failed validation. */
export interface SchemaIssue {
  /** Where in the value: keys and array indexes from the top; empty for the value itself. */
  readonly path: readonly PropertyKey[];
  /** What is wrong there. */
  readonly message: string;
  /** What kind of problem: `invalid_type`, `too_small`, `too_big`, `custom`, `unrecognized_keys`. */
  readonly code?: string;
  /** For `unrecognized_keys`: the keys, in the input's order. */
  readonly keys?: readonly string[];
}

/** A failed validation: a thrown or returned error listing every problem found. */
export interface SchemaError extends Error {
  /** All the problems, first one first (messages usually quote only that one). */
  readonly issues: readonly SchemaIssue[];
}

/** What {@linkcode Schema.safeParse} returns: the parsed value or why there is none. */
export type SafeParseResult<T> =
  | { success: true; data: T }
  | { success: false; error: SchemaError };

/** A validator that turns unknown input (parsed JSON) into a typed value. */
export interface Schema<T> {
  /** The parsed value, defaults filled in; throws a {@linkcode SchemaError} when invalid. */
  parse(value: unknown): T;
  /** Like `parse`, but returns failures instead of throwing. */
  safeParse(value: unknown): SafeParseResult<T>;
}

type Issue = { path: PropertyKey[]; message: string; code: string; keys?: string[] };

/** Checks one value: pushes its issues (paths from the value), returns the value to keep. */
type Run = (value: unknown, issues: Issue[]) => unknown;

/** A row's validator, and whether a missing key is fine without a default (`optional`). */
export interface FieldRule {
  /** Checks a value (undefined when the key is missing). */
  readonly run: Run;
  /** A missing key is left out rather than an error. */
  readonly optional?: boolean;
}

/** The type name zod's issues quote for a received value. */
function received(value: unknown): string {
  if (typeof value === "number") return Number.isFinite(value) ? "number" : String(value);
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "object") {
    const ctor = (value as { constructor?: { name: string } }).constructor;
    if (Object.getPrototypeOf(value) !== Object.prototype && "constructor" in value && ctor) {
      return ctor.name;
    }
  }
  return typeof value;
}

const wrongType = (expected: string, value: unknown): Issue => ({
  path: [],
  code: "invalid_type",
  message: `Invalid input: expected ${expected}, received ${received(value)}`,
});

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** An object zod's records take: not one whose constructor's prototype was changed. */
function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (!isObject(v)) return false;
  const ctor = v.constructor;
  if (ctor === undefined || typeof ctor !== "function") return true;
  const proto = ctor.prototype;
  return isObject(proto) && Object.prototype.hasOwnProperty.call(proto, "isPrototypeOf");
}

const CEILING_MESSAGE = `is over the clock ceiling, ${MAX_LAMPORT_CLOCK}`;

function numberRun(kind: NumberKind): Run {
  const { whole, min, max } = NUMBER_RANGES[kind];
  const over = kind === "clock" ? CEILING_MESSAGE : `Too big: expected number to be <=${max}`;
  return (v, issues) => {
    if (typeof v !== "number" || !Number.isFinite(v)) {
      issues.push(wrongType("number", v));
      return v;
    }
    if (whole) {
      if (!Number.isInteger(v)) {
        issues.push(wrongType("int", v));
        return v;
      }
      const safe = Number.MAX_SAFE_INTEGER;
      if (v > safe) issues.push(bound("too_big", `Too big: expected int to be <=${safe}`));
      if (v < -safe) issues.push(bound("too_small", `Too small: expected int to be >=-${safe}`));
    }
    if (v < min) issues.push(bound("too_small", `Too small: expected number to be >=${min}`));
    if (v > max) issues.push(bound("too_big", over));
    return v;
  };
}

const bound = (code: string, message: string): Issue => ({ path: [], code, message });

function stringRun(problem: (v: string) => string | null): Run {
  return (v, issues) => {
    if (typeof v !== "string") issues.push(wrongType("string", v));
    else {
      const message = problem(v);
      if (message !== null) issues.push({ path: [], code: "custom", message });
    }
    return v;
  };
}

const refined = (kind: FieldKind) => (v: string) =>
  KIND_CHECKS[kind](v) ? null : `must be ${KIND_WORDING[kind]}`;

/** A JSON object's own keys, `__proto__` left out (never written onto a plain object). */
function record(v: unknown, issues: Issue[]): unknown {
  if (!isPlainObject(v)) {
    issues.push(wrongType("record", v));
    return v;
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(v)) if (key !== "__proto__") out[key] = v[key];
  return out;
}

/** Each kind's validator (the values it accepts are its `KIND_CHECKS` entry's). */
const KIND_RUNS: { readonly [K in FieldKind]: Run } = {
  name: stringRun(nameProblem),
  count: numberRun("count"),
  clock: numberRun("clock"),
  usd: numberRun("usd"),
  flag: (v, issues) => (typeof v === "boolean" ? v : (issues.push(wrongType("boolean", v)), v)),
  text: stringRun(() => null),
  integer: numberRun("integer"),
  time: stringRun(refined("time")),
  id: stringRun(refined("id")),
  object: record,
};

/**
 * The rule of one row: its kind, null where allowed, its default where it
 * has one (filled in for a missing key).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fieldOf } from "./fields.ts";
 * import { fieldRule } from "./table_schema.ts";
 * assert.equal(fieldRule(fieldOf("wp_id")!).run(undefined, []), "N/A");
 * ```
 */
export function fieldRule(field: FieldSpec, change: Partial<FieldSpec> = {}): FieldRule {
  const f = { ...field, ...change };
  const kind = KIND_RUNS[f.kind];
  const hasDefault = "default" in f;
  const run: Run = (v, issues) => {
    if (v === undefined && hasDefault) return f.default;
    if (v === null && f.nullable) return null;
    return kind(v, issues);
  };
  return { run };
}

/** The rule of a row that may be left out (no default filled in). */
export function optionalRule(rule: FieldRule): FieldRule {
  return { run: (v, issues) => (v === undefined ? v : rule.run(v, issues)), optional: true };
}

/** The issues with `key` put in front of each path. */
function under(key: string, issues: Issue[], into: Issue[]): void {
  for (const issue of issues) into.push({ ...issue, path: [key, ...issue.path] });
}

/**
 * A validator of objects keyed by rules: each rule's key checked in order,
 * then the keys no rule names kept as they are (`loose`) or rejected with
 * one `unrecognized_keys` issue (`strict`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fieldOf } from "./fields.ts";
 * import { fieldRule, objectSchema } from "./table_schema.ts";
 * const s = objectSchema({ wp_id: fieldRule(fieldOf("wp_id")!) }, "strict");
 * assert.deepEqual(s.parse({}), { wp_id: "N/A" });
 * assert.ok(!s.safeParse({ wp: "x" }).success);
 * ```
 */
export function objectSchema<T>(
  shape: Readonly<Record<string, FieldRule>>,
  mode: "loose" | "strict",
): Schema<T> {
  const rules = Object.entries(shape);
  const known = new Set(Object.keys(shape));
  const run: Run = (input, issues) => {
    if (!isObject(input)) {
      issues.push(wrongType("object", input));
      return input;
    }
    const out: Record<string, unknown> = {};
    for (const [key, rule] of rules) {
      const own: Issue[] = [];
      const value = rule.run(input[key], own);
      under(key, own, issues);
      if (value !== undefined || key in input) out[key] = value;
    }
    const unknown: string[] = [];
    for (const key in input) {
      if (known.has(key)) continue;
      if (mode === "strict") unknown.push(key);
      else if (key !== "__proto__") out[key] = input[key];
    }
    if (unknown.length > 0) {
      const s = unknown.length > 1 ? "s" : "";
      const list = unknown.map((k) => `"${k}"`).join(", ");
      issues.push({
        path: [],
        code: "unrecognized_keys",
        keys: unknown,
        message: `Unrecognized key${s}: ${list}`,
      });
    }
    return out;
  };
  return schemaOf<T>(run);
}

/**
 * A {@linkcode Schema} from a validator: `safeParse` returns its issues,
 * `parse` throws them.
 */
export function schemaOf<T>(run: (value: unknown, issues: Issue[]) => unknown): Schema<T> {
  const safeParse = (value: unknown): SafeParseResult<T> => {
    const issues: Issue[] = [];
    const data = run(value, issues);
    if (issues.length === 0) return { success: true, data: data as T };
    const error = Object.assign(new Error(JSON.stringify(issues, null, 2)), { issues });
    error.name = "SchemaError";
    return { success: false, error };
  };
  return {
    safeParse,
    parse(value) {
      const r = safeParse(value);
      if (r.success) return r.data;
      throw r.error;
    },
  };
}
