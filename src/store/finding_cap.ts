/**
 * Bounded findings for `verify`: a log of a million bad lines must not list
 * (nor describe) a million findings. The first few of each kind are kept in
 * full; the rest of that kind are counted and listed as one summary finding.
 *
 * @module
 */
import type { Finding, FindingKind } from "./verify.ts";
import { PROBLEMS_SHOWN } from "../read/problem_cap.ts";

/**
 * Keeps the first `limit` findings of each kind and counts the others.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { FindingCap } from "./finding_cap.ts";
 * const cap = new FindingCap(1);
 * for (const line of [1, 2, 3]) cap.add({ kind: "malformed", path: "a", line, message: "bad" });
 * assert.ok(cap.full("malformed") && !cap.full("duplicate-id"));
 * const [first, rest] = cap.findings();
 * assert.equal(first.line, 1);
 * assert.ok(rest.more === 2 && rest.message.includes("line 3"));
 * ```
 */
export class FindingCap {
  readonly #kept: Finding[] = [];
  readonly #listed = new Map<FindingKind, number>();
  readonly #counted = new Map<FindingKind, { path: string; count: number; last?: number }>();

  constructor(readonly limit: number = PROBLEMS_SHOWN) {}

  /** True once `limit` findings of `kind` are kept: more need no message. */
  full(kind: FindingKind): boolean {
    return (this.#listed.get(kind) ?? 0) >= this.limit;
  }

  /** Keeps the finding while its kind is under the limit, else counts it. */
  add(finding: Finding): void {
    if (!this.full(finding.kind)) {
      this.#listed.set(finding.kind, (this.#listed.get(finding.kind) ?? 0) + 1);
      this.#kept.push(finding);
    } else this.count(finding.kind, finding.path, finding.line);
  }

  /** Counts a finding of a kind that is full, without a message. */
  count(kind: FindingKind, path: string, line?: number): void {
    const counted = this.#counted.get(kind) ?? { path, count: 0 };
    counted.count++;
    // Lines a reader counts from their bytes come before earlier ones it decodes.
    if (line !== undefined && line > (counted.last ?? 0)) counted.last = line;
    this.#counted.set(kind, counted);
  }

  /** The kept findings in the order found, then one summary per kind counted. */
  findings(): Finding[] {
    const summaries = [...this.#counted].map(([kind, { path, count, last }]): Finding => ({
      kind,
      path,
      message: `${count} more ${kind} finding(s) not listed` +
        (last === undefined ? "" : ` (the last at line ${last})`),
      more: count,
    }));
    return [...this.#kept, ...summaries];
  }
}
