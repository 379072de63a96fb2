/**
 * Streams the events of one JSONL log, skipping (and reporting) lines that
 * are not valid events.
 *
 * @module
 */
import type { Event } from "../event/envelope.ts";
import { decodeLine } from "../event/line_codec.ts";
import { readLines } from "../read/line_reader.ts";

/** Longest line read; longer ones are skipped unread (no event is that large). */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;

/** Receives one diagnostic line (the CLI prints it on stderr). */
export type WarningSink = (message: string) => void;

/**
 * Yields each valid event of the file at `path` in file order. A missing
 * file yields nothing. Each malformed non-blank line is reported once,
 * naming the file and line, and skipped; reading goes on.
 *
 * @example
 * ```ts
 * import { scanLog } from "./log_reader.ts";
 * const warnings: string[] = [];
 * for await (const _ of scanLog("/nonexistent.jsonl", (w) => warnings.push(w))) {}
 * console.assert(warnings.length === 0);
 * ```
 */
export async function* scanLog(
  path: string,
  onWarning: WarningSink,
): AsyncGenerator<Event> {
  let file: Deno.FsFile;
  try {
    if ((await Deno.lstat(path)).isSymlink) {
      onWarning(`${path}: is a symbolic link; not following it out of the project`);
      return;
    }
    file = await Deno.open(path, { read: true });
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return;
    throw error;
  }
  // The generator may be abandoned early; closing the stream's reader
  // (done by for-await on return) closes the file.
  for await (const line of readLines(file.readable, { maxLineBytes: MAX_LINE_BYTES })) {
    if (line.oversize) {
      onWarning(`${path}:${line.number}: skipped line over ${MAX_LINE_BYTES >> 20} MiB`);
      continue;
    }
    if (line.text.trim() === "") continue;
    const result = decodeLine(line.text);
    if (result.ok) {
      yield result.event;
    } else {
      const why = line.complete ? result.reason : `torn last line (${result.reason})`;
      onWarning(`${path}:${line.number}: skipped malformed line: ${why}`);
    }
  }
}
