/**
 * Columns of text for a terminal: how wide a text shows (wide CJK letters
 * and emoji take two columns, combining marks and format characters none)
 * and rows padded to that width. The one home of alignment for every text
 * table (`cost`, `budget`, `pricing`). Pure.
 *
 * @module
 */

const GRAPHEMES = new Intl.Segmenter("en", { granularity: "grapheme" });
// East Asian Wide and Fullwidth blocks (Hangul Jamo, CJK, kana, Hangul
// syllables, compatibility and fullwidth forms, the supplementary ideographs).
const WIDE =
  /^[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{20000}-\u{3fffd}]/u;
const EMOJI = /\p{Emoji_Presentation}|\p{Extended_Pictographic}\ufe0f/u;
const INVISIBLE = /^[\p{Mn}\p{Me}\p{Cf}]+$/u;

/**
 * The columns a text takes in a terminal, counted per character as people
 * see it (a grapheme cluster): 2 for a wide letter or an emoji, 0 for marks
 * and format characters alone, else 1.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { textWidth } from "./text_table.ts";
 * assert.equal(textWidth("claude"), 6);
 * assert.equal(textWidth("日本語"), 6);
 * assert.equal(textWidth("e\u0301x"), 2);
 * assert.equal(textWidth("😀🏳️‍🌈"), 4);
 * ```
 */
export function textWidth(text: string): number {
  if (/^[\x20-\x7e]*$/.test(text)) return text.length;
  let width = 0;
  for (const { segment } of GRAPHEMES.segment(text)) {
    width += WIDE.test(segment) || EMOJI.test(segment) ? 2 : INVISIBLE.test(segment) ? 0 : 1;
  }
  return width;
}

/**
 * Rows as aligned lines: each column as wide as its widest cell (as shown),
 * `right[i]` columns right-aligned (numbers), two spaces between columns,
 * no trailing spaces; `rule` rows (`null`) become dashes across each column.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { alignRows } from "./text_table.ts";
 * assert.deepEqual(alignRows([["Name", "N"], null, ["日本", "10"], ["a", "2"]], [false, true]), [
 *   "Name   N",
 *   "----  --",
 *   "日本  10",
 *   "a      2",
 * ]);
 * ```
 */
export function alignRows(rows: (string[] | null)[], right: readonly boolean[]): string[] {
  const cells = rows.filter((r): r is string[] => r !== null);
  const shown = cells.map((row) => row.map(textWidth));
  const widths = right.map((_, i) => Math.max(0, ...shown.map((w) => w[i])));
  let next = 0;
  return rows.map((row) => {
    if (row === null) return widths.map((w) => "-".repeat(w)).join("  ");
    const w = shown[next++];
    return row.map((cell, i) => {
      const pad = " ".repeat(widths[i] - w[i]);
      return right[i] ? pad + cell : cell + pad;
    }).join("  ").trimEnd();
  });
}
