/**
 * Bounded problem reports: a log of two million bad lines must not keep two
 * million messages (nor build them). The first few problems of a file are
 * told in full; the rest are only counted, and told as one summary problem
 * that stands for them all.
 *
 * @module
 */

/** How many problems of one file (or one range of it) are told in full. */
export const PROBLEMS_SHOWN = 20;

/** A line that was skipped; `line` is 0 for problems with the whole file. */
export interface LineProblem {
  /** The log's path. */
  path: string;
  /** 1-based line number; 0 for the whole file. For a summary, the last line it counts. */
  line: number;
  /** What is wrong, without the place. */
  message: string;
  /** Set on a summary: how many skipped lines it stands for (none of them told in full). */
  more?: number;
  /**
   * Absent: the line was skipped. `unknown-value`: the event was read and
   * counted, with the values named in `message` as unknown.
   */
  kind?: "unknown-value";
}

/**
 * The summary problem for `count` lines not told in full, the last of them
 * at `line`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { summaryProblem } from "./problem_cap.ts";
 * assert.equal(summaryProblem("a", 9, 5).more, 5);
 * ```
 */
export function summaryProblem(
  path: string,
  line: number,
  count: number,
  kind?: LineProblem["kind"],
): LineProblem {
  return kind === undefined
    ? { path, line, more: count, message: `${count} more line(s) skipped, not shown` }
    : {
      path,
      line,
      more: count,
      kind,
      message: `${count} more line(s) with values read as unknown`,
    };
}

/**
 * Tells the first `limit` problems of one scan in full and counts the rest;
 * {@linkcode ProblemCap.finish} reports the count as one summary problem.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ProblemCap } from "./problem_cap.ts";
 * const told: number[] = [];
 * const cap = new ProblemCap("a", (p) => told.push(p.more ?? 1), 1);
 * cap.tell(1, "bad");
 * assert.ok(cap.full);
 * cap.count(2);
 * cap.count(3);
 * cap.finish();
 * assert.deepEqual(told, [1, 2]);
 * ```
 */
export class ProblemCap {
  #told = 0;
  #counted = 0;
  #last = 0;

  constructor(
    readonly path: string,
    readonly onProblem: (problem: LineProblem) => void,
    readonly limit: number = PROBLEMS_SHOWN,
    /** What its problems are (absent: skipped lines). */
    readonly kind?: LineProblem["kind"],
  ) {}

  /** True once `limit` problems were told: the rest need no message. */
  get full(): boolean {
    return this.#told >= this.limit;
  }

  /** How many more problems would be told in full. */
  get room(): number {
    return Math.max(0, this.limit - this.#told);
  }

  /** Reports a problem in full while under the limit, else counts it. */
  tell(line: number, message: string): void {
    if (this.full) return this.count(line);
    this.#told++;
    this.onProblem(
      this.kind === undefined
        ? { path: this.path, line, message }
        : { path: this.path, line, message, kind: this.kind },
    );
  }

  /** Counts a problem line without a message. */
  count(line: number): void {
    this.#counted++;
    // Lines the bytes settle are counted before earlier ones the schemas settle.
    if (line > this.#last) this.#last = line;
  }

  /** Reports the lines counted as one summary, if any. */
  finish(): void {
    if (this.#counted > 0) {
      this.onProblem(summaryProblem(this.path, this.#last, this.#counted, this.kind));
    }
    this.#counted = 0;
  }
}

/**
 * Keeps the first `limit` problems of a file told in full, in file order,
 * and folds the rest (summaries included) into one summary at the end: how
 * reports of several ranges of one file are merged into what one reading
 * of it would have told. Problems must come in file order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { capProblems, summaryProblem } from "./problem_cap.ts";
 * const p = (line: number) => ({ path: "a", line, message: "bad" });
 * const merged = capProblems([p(1), summaryProblem("a", 5, 4), p(7)], 2);
 * assert.deepEqual(merged.map((m) => [m.line, m.more]), [[1, undefined], [7, 5]]);
 * ```
 */
export function capProblems(problems: LineProblem[], limit = PROBLEMS_SHOWN): LineProblem[] {
  // Skipped lines and lines read with unknown values are capped apart.
  const unknown = problems.filter((p) => p.kind !== undefined);
  if (unknown.length === 0) return capOfKind(problems, limit);
  return [
    ...capOfKind(problems.filter((p) => p.kind === undefined), limit),
    ...capOfKind(unknown, limit),
  ];
}

function capOfKind(problems: LineProblem[], limit: number): LineProblem[] {
  const out: LineProblem[] = [];
  const kind = problems[0]?.kind;
  let path: string | undefined;
  let told = 0;
  let counted = 0;
  let last = 0;
  const finish = () => {
    if (counted > 0) out.push(summaryProblem(path!, last, counted, kind));
  };
  for (const problem of problems) {
    if (problem.path !== path) {
      finish();
      path = problem.path;
      told = counted = last = 0;
    }
    // After a summary none may be told: the lines it stands for come first.
    if (problem.more !== undefined) told = limit;
    if (told < limit) {
      told++;
      out.push(problem);
    } else {
      counted += problem.more ?? 1;
      last = Math.max(last, problem.line);
    }
  }
  finish();
  return out;
}
