/**
 * The merge of clock files: the per-node maximum. Pure: no I/O.
 *
 * @module
 */
import { formatClockText, parseClockText } from "../clock/clock_file.ts";
import { type ClockState, mergeClockStates } from "../clock/lamport.ts";

/** One clock file's text, with a label for messages. */
export interface ClockInput {
  /** Names the file in warnings (git's `%O`/`%A`/`%B` path, or a real path). */
  label: string;
  /** The clock file's JSON text, possibly corrupt or conflict-marked. */
  text: string;
}

/** The merged clock file. */
export interface ClockMergeResult {
  /** The canonical clock file text (sorted keys, Python separators). */
  text: string;
  /** The same maximum as data. */
  state: ClockState;
  /** One per input that could not be read whole. */
  warnings: string[];
}

/**
 * Merges clock files (git's `%O`, `%A`, `%B`) into their per-node maximum.
 * The maximum is right whichever side a value came from: every value was
 * used on some machine, and the next event must come after all of them.
 * An unreadable file counts as empty, with a warning, except for the
 * `"node": n` pairs that can still be read (a text-merged file with conflict
 * markers still names both sides' values, and a torn file only loses
 * digits, so what survives is never too high).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mergeClockTexts } from "./clock_merge.ts";
 * const r = mergeClockTexts([
 *   { label: "base", text: '{"a": 1}' },
 *   { label: "ours", text: '{"a": 3, "b": 1}' },
 *   { label: "theirs", text: '{"a": 2, "c": 7}' },
 * ]);
 * assert.ok(r.text === '{"a": 3, "b": 1, "c": 7}' && r.warnings.length === 0);
 * ```
 */
export function mergeClockTexts(inputs: ClockInput[]): ClockMergeResult {
  const warnings: string[] = [];
  const states = inputs.map(({ label, text }) => {
    const read = parseClockText(text);
    if (read.corrupt !== undefined) {
      const kept = Object.keys(read.state).length;
      warnings.push(
        `${label}: unreadable clock file (${read.corrupt}); ` +
          (kept > 0 ? `kept the ${kept} value(s) still readable` : "counted as empty"),
      );
    }
    return read.state;
  });
  const state = mergeClockStates(...states);
  return { text: formatClockText(state), state, warnings };
}
