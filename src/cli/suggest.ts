/**
 * Did-you-mean: the closest known word to a mistyped one, for every place the
 * CLI refuses a name (commands, flags, `--group-by` keys, `--sort` values).
 *
 * @module
 */

/**
 * The known word closest to `word` (edit distance, case-insensitive), or
 * undefined when none is close enough to be a likely typo: at most a third of
 * the longer word, or a prefix either way (`--input-token` for
 * `--input-tokens`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { closest } from "./suggest.ts";
 * assert.equal(closest("emitt", ["emit", "cost"]), "emit");
 * assert.equal(closest("cots", ["emit", "cost"]), "cost");
 * assert.equal(closest("zzz", ["emit", "cost"]), undefined);
 * ```
 */
export function closest(word: string, known: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const c = candidate.toLowerCase();
    const d = c.startsWith(w) || w.startsWith(c) ? 0.5 : distance(w, c);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  const limit = Math.max(1, Math.floor(Math.max(w.length, best?.length ?? 0) / 3));
  return bestDistance <= limit ? best : undefined;
}

/**
 * ` (did you mean X?)` for the closest known word, else "".
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { didYouMean } from "./suggest.ts";
 * assert.equal(didYouMean("agnet", ["agent", "model"]), " (did you mean agent?)");
 * ```
 */
export function didYouMean(word: string, known: readonly string[]): string {
  const hit = closest(word, known);
  return hit === undefined ? "" : ` (did you mean ${hit}?)`;
}

/** Edit distance with adjacent transpositions (`cots` is one edit from `cost`). */
function distance(a: string, b: string): number {
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(
        previous[j] + 1,
        row[j - 1] + 1,
        previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        row[j] = Math.min(row[j], before[j - 2] + 1);
      }
    }
    before = previous;
    previous = row;
  }
  return previous[b.length];
}
