/**
 * What `cost` says about lines it could not read as they are: each skipped
 * line is warned about and counted; lines read with values unknown are
 * counted, and warned about once per file (the first, then how many more),
 * since one bad writer can leave thousands.
 *
 * @module
 */
import { formatProblem, type LineProblem } from "../read/log_reader.ts";

/** Counts problems as a scan reports them (in file order) and words the warnings. */
export interface ProblemTally {
  /** Takes one problem from the scan. */
  report(problem: LineProblem): void;
  /** Warns how many more lines of each file had unknown values. */
  done(): void;
  /** Lines skipped (not events). */
  readonly skipped: number;
  /** Events counted with some values unknown. */
  readonly unknownValueEvents: number;
}

/**
 * A tally that warns through `warn`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { problemTally } from "./problem_tally.ts";
 * const warnings: string[] = [];
 * const tally = problemTally((w) => warnings.push(w));
 * for (const line of [1, 2, 3]) tally.report({ path: "a", line, message: "m", kind: "unknown-value" });
 * tally.report({ path: "a", line: 4, message: "bad" });
 * tally.done();
 * assert.deepEqual([tally.skipped, tally.unknownValueEvents], [1, 3]);
 * assert.deepEqual(warnings, ["a:1: m", "a:4: bad", "a: 2 more line(s) with values read as unknown (see `kitty-telemetry verify`)"]);
 * ```
 */
export function problemTally(warn: (message: string) => void): ProblemTally {
  let skipped = 0;
  let unknown = 0;
  const more = new Map<string, number>();
  return {
    report(problem) {
      // A reader's summary stands for `more` lines it did not tell one by one.
      const lines = problem.more ?? 1;
      if (problem.kind !== "unknown-value") {
        skipped += lines;
        warn(formatProblem(problem));
        return;
      }
      unknown += lines;
      const seen = more.get(problem.path);
      if (seen === undefined && problem.more === undefined) {
        more.set(problem.path, 0);
        warn(formatProblem(problem));
      } else more.set(problem.path, (seen ?? 0) + lines);
    },
    done() {
      for (const [path, n] of more) {
        if (n > 0) {
          warn(
            `${path}: ${n} more line(s) with values read as unknown (see \`kitty-telemetry verify\`)`,
          );
        }
      }
    },
    get skipped() {
      return skipped;
    },
    get unknownValueEvents() {
      return unknown;
    },
  };
}
