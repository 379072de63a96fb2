/**
 * The budgets file (`.kittify/budgets.yaml`): its schema, and parsing it
 * into budgets with exact limits, or an error naming the file, the line and
 * the problem. Pure: the text comes in, budgets or an error go out. It
 * loads zod and js-yaml, so it is imported only where a file is read.
 *
 * @module
 */
import { z } from "../deps.ts";
import { parseYaml, YAMLException } from "../yaml.ts";
import { yamlLineOf } from "../yaml_lines.ts";
import { InvalidInputError } from "../errors.ts";
import { decimalToUnits, MONEY_SCALE, usdToUnits } from "../cost/money.ts";
import { PERIODS } from "./period.ts";
import { type Budget, DEFAULT_WARN_AT, FILTER_KEYS, type FilterKey } from "./budget_keys.ts";

export { type Budget, DEFAULT_WARN_AT, FILTER_KEYS, type FilterKey };

// Money and fractions are shown to 6 decimals: a smaller limit would show as
// 0 (or round to 0 units and divide by it), a smaller warn_at would always warn.
const SMALLEST = 0.000001;

const text = z.string().min(1);
// YAML reads `feature: 043` as the number 43: say how to keep the text.
const filterValue = z.union([
  text,
  z.array(text).min(1, {
    error: "a list of values must not be empty (leave the filter out to take all)",
  }),
], {
  error: "expected text or a list of texts (quote a value YAML would read as a number: '043')",
});

/** One budget as written. */
export const BudgetEntrySchema = z.strictObject({
  name: z.string({ error: "name must be text (quote it if YAML reads it as a number)" })
    .min(1, { error: "name must not be empty" }),
  ...Object.fromEntries(FILTER_KEYS.map((key) => [key, filterValue.optional()])) as Record<
    FilterKey,
    z.ZodOptional<typeof filterValue>
  >,
  period: z.enum(PERIODS, { error: `period must be one of ${PERIODS.join(", ")}` })
    .default(PERIODS[0]),
  limit_usd: z.number({ error: "limit_usd must be a number of US dollars" })
    .gt(0, { error: "limit_usd must be a number > 0 (US dollars)" })
    .gte(SMALLEST, {
      error: `limit_usd must be at least ${SMALLEST} (money is kept to 6 decimals)`,
    })
    .max(1e12, { error: "limit_usd must be at most 1e12" }),
  warn_at: z.number({ error: "warn_at must be a number" })
    .gt(0, { error: "warn_at must be a fraction of the limit in (0, 1], like 0.8" })
    .lte(1, { error: "warn_at must be a fraction of the limit in (0, 1], like 0.8" })
    .gte(SMALLEST, { error: `warn_at must be at least ${SMALLEST}, like 0.8` })
    .default(DEFAULT_WARN_AT),
});

/** The whole file. */
export const BudgetsFileSchema = z.strictObject({
  budgets: z.array(BudgetEntrySchema, { error: "budgets must be a list of budgets" }),
}, { error: "expected a mapping holding a `budgets:` list" });

/**
 * Parses a budgets file's text. Throws {@linkcode InvalidInputError}
 * (exit 2) as `file:line: problem`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseBudgets } from "./budget_file.ts";
 * const [b] = parseBudgets("budgets:\n  - {name: x, limit_usd: 50}\n", "b.yaml");
 * assert.equal(b.period, "total");
 * assert.equal(b.limit, 50n * 10n ** 15n);
 * assert.throws(() => parseBudgets("budgets:\n  - {name: x, limit_usd: -1}\n", "b.yaml"), /b.yaml:2:/);
 * ```
 */
export function parseBudgets(text: string, file: string): Budget[] {
  let raw: unknown;
  try {
    // Comments only is an empty document (null), not invalid YAML: say what to write.
    const blank = text.split("\n").every((line) => /^\s*(#.*)?$/.test(line));
    raw = blank ? null : parseYaml(text);
  } catch (error) {
    if (error instanceof YAMLException) {
      const line = (error.mark?.line ?? 0) + 1;
      throw new InvalidInputError(`${file}:${line}: invalid YAML (${error.reason})`);
    }
    throw error;
  }
  const parsed = BudgetsFileSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.length > 0 ? `${issue.path.map(String).join(".")}: ` : "";
    const what = issue.code === "unrecognized_keys"
      ? `unknown field ${issue.keys.join(", ")} (fields: name, ${
        FILTER_KEYS.join(", ")
      }, period, limit_usd, warn_at)`
      : issue.message;
    // An unknown field is pointed at, not the budget that holds it.
    const at = issue.code === "unrecognized_keys" ? [...issue.path, issue.keys[0]] : issue.path;
    throw new InvalidInputError(`${file}:${yamlLineOf(text, at)}: ${where}${what}`);
  }
  const seen = new Set<string>();
  return parsed.data.budgets.map((entry, index) => {
    if (seen.has(entry.name)) {
      throw new InvalidInputError(
        `${file}:${yamlLineOf(text, ["budgets", index, "name"])}: budgets.${index}.name: ` +
          `${JSON.stringify(entry.name)} is the name of an earlier budget; names must be unique`,
      );
    }
    seen.add(entry.name);
    const filters = new Map<FilterKey, string[]>();
    for (const key of FILTER_KEYS) {
      const value = entry[key];
      if (value !== undefined) filters.set(key, typeof value === "string" ? [value] : value);
    }
    return {
      name: entry.name,
      filters,
      period: entry.period,
      limit: usdToUnits(entry.limit_usd),
      warnFraction: entry.warn_at,
      warnAt: decimalToUnits(String(entry.warn_at), MONEY_SCALE),
    };
  });
}
