/**
 * A progress line on stderr for long reads: only on a terminal, only after
 * a second, and erased when done. Silent for programs.
 *
 * @module
 */
import type { CliIo } from "./io.ts";

/**
 * Returns `update(bytes, total)` to call as reading goes, and `done()`.
 *
 * @example
 * ```ts ignore
 * const progress = progressLine(io);
 * progress.update(10_000_000, 400_000_000);
 * await progress.done();
 * ```
 */
export function progressLine(io: CliIo, now: () => number = Date.now) {
  const started = now();
  let shown = false;
  return {
    update: (bytes: number, total: number) => {
      const elapsed = (now() - started) / 1000;
      if (!io.stderrIsTty || elapsed < 1) return;
      const mb = bytes / 1e6;
      const line = `reading ${mb.toFixed(0)} / ${(total / 1e6).toFixed(0)} MB, ${
        (mb / elapsed).toFixed(0)
      } MB/s`;
      shown = true;
      void io.stderr(`\r${line}\x1b[K`);
    },
    done: async () => {
      if (shown) await io.stderr("\r\x1b[K");
    },
  };
}
