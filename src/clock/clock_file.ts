/**
 * The per-feature clock file `.telemetry-clock.json`:
 * `{"<node_id>": last value, ...}`, the layout the Python writer uses.
 *
 * @module
 */
import { dirname, join } from "node:path";
import { type ClockState, emptyClock, isAcceptedClock } from "./lamport.ts";
import { openLog, type OpenLogOptions } from "../read/open_log.ts";
import { onInterrupt } from "../interrupt.ts";

/** How a clock file was read. */
export interface ClockRead {
  /** The highest clock per node; empty for a missing file. */
  state: ClockState;
  /** Set when the file was unreadable and its values had to be salvaged. */
  corrupt?: string;
}

/**
 * Parses clock file text. A corrupt file (torn write, hand edit) keeps every
 * `"node": n` pair that can still be read, so other nodes' values survive;
 * the caller should also recover values from the log.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseClockText } from "./clock_file.ts";
 * assert.ok(parseClockText('{"a": 2, "b": 5}').state.b === 5);
 * const torn = parseClockText('{"a": 2, "b": 5, "c');
 * assert.ok(torn.corrupt !== undefined && torn.state.b === 5);
 * ```
 */
export function parseClockText(text: string): ClockRead {
  if (text.trim() === "") return { state: emptyClock() };
  try {
    const value = JSON.parse(text);
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      const entries = Object.entries(value);
      if (entries.every(([, v]) => isAcceptedClock(v))) {
        const state = emptyClock();
        for (const [node, v] of entries) state[node] = v as number;
        return { state };
      }
      return salvage(text, "a value is not an integer from 0 to the ceiling, 10^15");
    }
    return salvage(text, "not a JSON object");
  } catch (error) {
    return salvage(text, `invalid JSON (${(error as Error).message})`);
  }
}

function salvage(text: string, why: string): ClockRead {
  const state = emptyClock();
  for (const m of text.matchAll(/("(?:[^"\\]|\\.)*")\s*:\s*(\d+)/g)) {
    try {
      const node = JSON.parse(m[1]) as string;
      const value = Number(m[2]);
      if (isAcceptedClock(value)) {
        state[node] = Object.hasOwn(state, node) ? Math.max(state[node], value) : value;
      }
    } catch {
      // An unreadable key: the log still has that node's values.
    }
  }
  return { state, corrupt: why };
}

/**
 * Clock file text in one canonical layout: keys sorted, Python's `", "` and
 * `": "` separators, no trailing newline (byte-identical to the Python
 * writer for the same values).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatClockText } from "./clock_file.ts";
 * assert.ok(formatClockText({ b: 1, a: 2 }) === '{"a": 2, "b": 1}');
 * ```
 */
export function formatClockText(state: ClockState): string {
  const keys = Object.keys(state).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}: ${state[k]}`).join(", ")}}`;
}

/**
 * Reads a clock file; a missing file (or a symbolic link `options` skips)
 * is an empty state. The file is opened under the logs' policy (see
 * `openLog`): a FIFO or other non-regular file is refused, never waited on.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readClockFile } from "./clock_file.ts";
 * const read = await readClockFile("/nonexistent/.telemetry-clock.json");
 * assert.ok(Object.keys(read.state).length === 0);
 * ```
 */
export async function readClockFile(
  path: string,
  options: OpenLogOptions = {},
): Promise<ClockRead> {
  const file = await openLog(path, options);
  if (!file) return { state: emptyClock() };
  // Kept as read (a BOM too), as Deno.readTextFile did: the salvage is the judge.
  return parseClockText(new TextDecoder("utf-8", { ignoreBOM: true }).decode(await file.bytes()));
}

/**
 * Replaces the clock file atomically (temp file in the same folder, then
 * rename), so a crash leaves either the old or the new file, never a torn one.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readClockFile, writeClockFile } from "./clock_file.ts";
 * const dir = await Deno.makeTempDir();
 * await writeClockFile(`${dir}/.telemetry-clock.json`, { n: 3 });
 * assert.ok((await readClockFile(`${dir}/.telemetry-clock.json`)).state.n === 3);
 * ```
 */
export async function writeClockFile(
  path: string,
  state: ClockState,
): Promise<void> {
  const temp = join(
    dirname(path),
    `.telemetry-clock.${crypto.randomUUID()}.tmp`,
  );
  using _ = onInterrupt(() => Deno.removeSync(temp));
  try {
    await Deno.writeTextFile(temp, formatClockText(state));
    await Deno.rename(temp, path);
  } catch (error) {
    await Deno.remove(temp).catch(() => {});
    throw error;
  }
}
