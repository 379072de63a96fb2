/**
 * Warnings on stderr, capped: a log with a million bad lines must not bury
 * the terminal (or a caller's stderr pipe) in a million lines.
 *
 * @module
 */
import type { CliIo } from "./io.ts";
import { problemLines } from "../read/log_reader.ts";

/** A counting, capped warning sink. */
export interface Warnings {
  /** Reports one warning (shown while under the cap). */
  warn(message: string): void;
  /** How many warnings were reported (a reader's summary counts the lines it stands for). */
  count(): number;
  /** Writes what is pending and, past the cap, how many were not shown. */
  flush(): Promise<void>;
}

/**
 * Shows the first `limit` warnings, then counts the rest.
 *
 * @example
 * ```ts ignore
 * const warnings = warningSink(io);
 * warnings.warn("a.jsonl:3: skipped malformed line: invalid JSON");
 * await warnings.flush();
 * ```
 */
export function warningSink(io: CliIo, limit = 20): Warnings {
  let count = 0;
  let shown = 0;
  let hidden = 0;
  let pending = "";
  return {
    warn(message) {
      const lines = problemLines(message);
      count += lines;
      if (shown < limit) {
        shown++;
        pending += `warning: ${message}\n`;
      } else hidden += lines;
    },
    count: () => count,
    async flush() {
      if (hidden > 0) pending += `warning: ${hidden} more warning(s) not shown\n`;
      hidden = 0;
      const text = pending;
      pending = "";
      if (text) await io.stderr(text);
    },
  };
}
