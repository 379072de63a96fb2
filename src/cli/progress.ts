/**
 * A progress line on stderr for long reads: only on a terminal, only after
 * a second, at most a few times a second, and erased when done. Silent for
 * programs.
 *
 * @module
 */
import { readMeter } from "../read/byte_range.ts";
import type { CliIo } from "./io.ts";

/** Least time between two writes of the line, in ms (a terminal needs no more). */
const REDRAW_MS = 250;

/** A progress line: told the bytes read so far, erased by `done`. */
export interface Progress {
  /** Shows `bytes` read of `total` (once a second has passed, and not redrawn too often). */
  update(bytes: number, total: number): void;
  /** Erases the line if it was shown; call it before anything else goes to stderr. */
  done(): Promise<void>;
}

/**
 * Returns `update(bytes, total)` to call as reading goes, and `done()`.
 * The line reads `VERB N / M MB, R MB/s`; a command that reads its input
 * more than once (bytes past the total) shows `(pass 2)` and counts again;
 * with no total (0: stdin, a folder) the line shows the bytes and rate only.
 *
 * @example
 * ```ts ignore
 * const progress = progressLine(io);
 * progress.update(10_000_000, 400_000_000);
 * await progress.done();
 * ```
 */
export function progressLine(
  io: CliIo,
  now: () => number = () => io.now().getTime(),
  verb = "reading",
): Progress {
  const started = now();
  let shown = false;
  let drawn = -Infinity;
  let drawing: Promise<void> = Promise.resolve();
  return {
    update: (bytes: number, total: number) => {
      if (!io.stderrIsTty) return;
      const at = now();
      const elapsed = (at - started) / 1000;
      if (elapsed < 1 || at - drawn < REDRAW_MS) return;
      drawn = at;
      const line = `${verb} ${amount(bytes, total)}, ${(bytes / 1e6 / elapsed).toFixed(0)} MB/s`;
      shown = true;
      // A stderr that fails (closed) costs the line, never the read.
      drawing = drawing.then(() => io.stderr(`\r${line}\x1b[K`)).catch(() => {});
    },
    done: async () => {
      await drawing;
      if (shown) await io.stderr("\r\x1b[K");
      shown = false;
    },
  };
}

/** `N / M MB`, `N / M MB (pass 2)` past the total, or `N MB` when there is none. */
function amount(bytes: number, total: number): string {
  if (total <= 0) return `${(bytes / 1e6).toFixed(0)} MB`;
  const pass = Math.max(1, Math.ceil(bytes / total));
  const inPass = bytes - (pass - 1) * total;
  const mb = `${(inPass / 1e6).toFixed(0)} / ${(total / 1e6).toFixed(0)} MB`;
  return pass > 1 ? `${mb} (pass ${pass})` : mb;
}

/** How {@linkcode withProgress} words and shows its line. */
export interface ProgressOptions {
  /** The line's first word (default `reading`). */
  verb?: string;
  /** `work` writes data to stdout as it reads: no line when stdout is a terminal too. */
  streams?: boolean;
}

/**
 * Runs `work` (which reads logs on this thread) with a progress line
 * driven by every byte the log readers read, against `total` bytes (the
 * logs' sizes, or the input's), erased before it resolves or throws, so
 * the caller's warnings and output never share its line. Off a terminal
 * nothing is set up: `work` runs as it would without. `work` is handed
 * `more(bytes)` to count bytes read elsewhere (by workers), and an io
 * whose `stderr` erases the line before it writes.
 *
 * @example
 * ```ts ignore
 * const lines = await withProgress(io, await sizeOf(paths), () => writeOrdered(...));
 * ```
 */
export async function withProgress<T>(
  io: CliIo,
  total: number | (() => Promise<number>),
  work: (more: (bytes: number) => void, io: CliIo) => Promise<T>,
  { verb = "reading", streams = false }: ProgressOptions = {},
): Promise<T> {
  // Data streamed to a terminal shows the read moving itself (and would break the line).
  if (!io.stderrIsTty || (streams && io.stdoutIsTty)) return await work(() => {}, io);
  const all = typeof total === "number" ? total : await total();
  const progress = progressLine(io, undefined, verb);
  const before = readMeter.onRead;
  let read = 0;
  const more = (bytes: number) => {
    read += bytes;
    progress.update(read, all);
  };
  readMeter.onRead = more;
  try {
    // What `work` writes to stderr erases the line first (it is drawn again on the next read).
    const stderr = async (text: string) => {
      await progress.done();
      await io.stderr(text);
    };
    // A view of `io` (its getters, such as stdin's, stay unread).
    return await work(more, Object.assign(Object.create(io), { stderr }));
  } finally {
    readMeter.onRead = before;
    await progress.done();
  }
}

/**
 * Runs `work` with the read meter off: for a read whose bytes are counted
 * otherwise (a parallel scan's progress), lest they count twice.
 *
 * @example
 * ```ts ignore
 * const partial = await unmetered(() => parallelScan(paths, reducer, init, report, { onProgress }));
 * ```
 */
export async function unmetered<T>(work: () => Promise<T>): Promise<T> {
  const before = readMeter.onRead;
  readMeter.onRead = undefined;
  try {
    return await work();
  } finally {
    readMeter.onRead = before;
  }
}

/**
 * The bytes of the files at `paths` in all (a file that cannot be read
 * counts 0).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { totalBytes } from "./progress.ts";
 * assert.equal(await totalBytes(["/nonexistent.jsonl"]), 0);
 * ```
 */
export async function totalBytes(paths: readonly string[]): Promise<number> {
  const sizes = await Promise.all(paths.map((p) => Deno.stat(p).then((s) => s.size, () => 0)));
  return sizes.reduce((a, b) => a + b, 0);
}
