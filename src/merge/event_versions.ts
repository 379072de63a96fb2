/**
 * The versions of one event across the logs a merge unites: which are the
 * same event, which one is kept, and what is said of one a side lacks.
 * One home for both merges (in memory, `merge_logs.ts`; streamed,
 * `sorted_merge.ts`), so they keep the same line and say the same. Pure.
 *
 * @module
 */
import type { EventLine } from "./parsed_log.ts";
import { jsonEqual } from "./json_equal.ts";

/**
 * Groups versions into classes of equal decoded events, first-seen class first.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { equalClasses } from "./event_versions.ts";
 * const v = (line: string, x: number) => ({ line, event: { x } as never, lineNumber: 1 });
 * assert.equal(equalClasses([v("a", 1), v("b", 1), v("c", 2)]).length, 2);
 * ```
 */
export function equalClasses<L extends EventLine>(versions: L[]): L[][] {
  const classes: L[][] = [];
  for (const version of versions) {
    const same = classes.find((c) =>
      c[0].line === version.line || jsonEqual(c[0].event, version.event)
    );
    if (same) same.push(version);
    else classes.push([version]);
  }
  return classes;
}

/**
 * The version kept of equal ones: the smallest line, a choice every clone makes alike.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { smallest } from "./event_versions.ts";
 * const v = (line: string) => ({ line, event: {} as never, lineNumber: 1 });
 * assert.equal(smallest([v("b"), v("a")]).line, "a");
 * ```
 */
export function smallest<L extends EventLine>(lines: L[]): L {
  return lines.reduce((min, l) => (l.line < min.line ? l : min));
}

/**
 * The warning for an event of the ancestor that a side lacks.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { missingWarning } from "./event_versions.ts";
 * assert.match(missingWarning("X", "base", 3, "ours"), /^event X \(base:3\) is missing from ours; kept/);
 * ```
 */
export function missingWarning(id: string, base: string, line: number, side: string): string {
  return `event ${id} (${base}:${line}) is missing from ${side}; kept, as logs are append-only`;
}
