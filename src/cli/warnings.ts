/**
 * Warnings on stderr, capped: a log with a million bad lines must not bury
 * the terminal (or a caller's stderr pipe) in a million lines.
 *
 * @module
 */
import type { CliIo } from "./io.ts";

/** A counting, capped warning sink. */
export interface Warnings {
  /** Reports one warning (shown while under the cap). */
  warn(message: string): void;
  /** How many warnings were reported. */
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
  let pending = "";
  return {
    warn(message) {
      count++;
      if (count <= limit) pending += `warning: ${message}\n`;
    },
    count: () => count,
    async flush() {
      if (count > limit) pending += `warning: ${count - limit} more warning(s) not shown\n`;
      const text = pending;
      pending = "";
      if (text) await io.stderr(text);
    },
  };
}
