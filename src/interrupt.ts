/**
 * What to undo if the process is stopped (SIGINT, SIGTERM, SIGHUP) in the
 * middle of a write: a temporary file to remove, a log to cut back to its
 * length before an append. A writer registers its undo for as long as its
 * write is under way (`using`); the process edge (`main.ts`) runs every
 * registered undo when a signal comes, then exits. So a stopped command
 * leaves no half-written line and no temporary file behind.
 *
 * Undos are synchronous: they run in the signal's handler, just before the
 * process exits, with no chance to await anything.
 *
 * @module
 */

const pending = new Set<() => void>();

/**
 * Registers `undo` until the returned handle is disposed (the write is
 * done, or failed and was undone by its own code).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { onInterrupt, undoInterrupted } from "./interrupt.ts";
 * const undone: string[] = [];
 * {
 *   using _ = onInterrupt(() => undone.push("temp removed"));
 *   assert.equal(undoInterrupted(), 1); // a signal now: the undo runs
 * }
 * assert.equal(undoInterrupted(), 0); // the write ended: nothing to undo
 * assert.deepEqual(undone, ["temp removed"]);
 * ```
 */
export function onInterrupt(undo: () => void): Disposable {
  const entry = () => undo();
  pending.add(entry);
  return { [Symbol.dispose]: () => void pending.delete(entry) };
}

/**
 * Runs (and forgets) every registered undo, each at most once; one that
 * throws does not stop the others. Resolves to how many ran. Called by the
 * process edge when a signal stops the process.
 */
export function undoInterrupted(): number {
  const undos = [...pending];
  pending.clear();
  for (const undo of undos) {
    try {
      undo();
    } catch {
      // Best effort: the process is going away; the others still run.
    }
  }
  return undos.length;
}
