/**
 * The catalogue's model-name match rules (`@pydantic/genai-prices`):
 * `equals`, `starts_with`, `ends_with`, `contains` (case-insensitive),
 * `regex` (as written) and their `or` / `and` combinations.
 *
 * @module
 */

/** A match rule, as the catalogue writes it. */
export type MatchRule =
  | { equals: string }
  | { starts_with: string }
  | { ends_with: string }
  | { contains: string }
  | { regex: string }
  | { or: MatchRule[] }
  | { and: MatchRule[] };

const REGEXES = new Map<string, RegExp>();

/**
 * Whether `name` matches `rule`, as the catalogue decides it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { matchesRule } from "./match_rule.ts";
 * const rule = { or: [{ starts_with: "claude-sonnet-4-5" }, { equals: "sonnet" }] };
 * assert.ok(matchesRule(rule, "Claude-Sonnet-4-5-20250929"));
 * assert.ok(!matchesRule(rule, "claude-sonnet-4"));
 * ```
 */
export function matchesRule(rule: MatchRule, name: string): boolean {
  if ("or" in rule) return rule.or.some((r) => matchesRule(r, name));
  if ("and" in rule) return rule.and.every((r) => matchesRule(r, name));
  const lower = name.toLowerCase();
  if ("equals" in rule) return lower === rule.equals.toLowerCase();
  if ("starts_with" in rule) return lower.startsWith(rule.starts_with.toLowerCase());
  if ("ends_with" in rule) return lower.endsWith(rule.ends_with.toLowerCase());
  if ("contains" in rule) return lower.includes(rule.contains.toLowerCase());
  if ("regex" in rule) {
    let re = REGEXES.get(rule.regex);
    if (!re) {
      re = new RegExp(rule.regex);
      REGEXES.set(rule.regex, re);
    }
    return re.test(name);
  }
  return false;
}

/**
 * Whether `value` is a well-formed rule (every regex compiles): a
 * catalogue installed by `pricing update` is checked with this.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isMatchRule } from "./match_rule.ts";
 * assert.ok(isMatchRule({ and: [{ contains: "a" }, { regex: "^b" }] }));
 * assert.ok(!isMatchRule({ regex: "(" }) && !isMatchRule({ near: "x" }));
 * ```
 */
export function isMatchRule(value: unknown): value is MatchRule {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  if (keys.length !== 1) return false;
  const v = (value as Record<string, unknown>)[keys[0]];
  if (keys[0] === "or" || keys[0] === "and") return Array.isArray(v) && v.every(isMatchRule);
  if (!["equals", "starts_with", "ends_with", "contains", "regex"].includes(keys[0])) return false;
  if (typeof v !== "string") return false;
  if (keys[0] === "regex") {
    try {
      new RegExp(v);
    } catch {
      return false;
    }
  }
  return true;
}

const DATE_SUFFIX = /(-)(20\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?=-|:|$)/g;

/**
 * The other spellings the catalogue tries for a name: a compact snapshot
 * date written with hyphens (`-20250929` as `-2025-09-29`), and the name
 * after a `provider/` prefix. The name itself first.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nameVariants } from "./match_rule.ts";
 * assert.deepEqual(nameVariants("anthropic/claude-x-20250929"), [
 *   "anthropic/claude-x-20250929", "anthropic/claude-x-2025-09-29", "claude-x-20250929", "claude-x-2025-09-29",
 * ]);
 * ```
 */
export function nameVariants(name: string): string[] {
  const trimmed = name.trim();
  const out: string[] = [];
  const add = (n: string) => {
    if (n !== "" && !out.includes(n)) out.push(n);
  };
  const withDates = (n: string) => {
    add(n);
    add(n.replace(DATE_SUFFIX, (_all, dash, y, m, d) => `${dash}${y}-${m}-${d}`));
  };
  withDates(trimmed);
  const slash = trimmed.lastIndexOf("/");
  if (slash >= 0) withDates(trimmed.slice(slash + 1));
  return out;
}
