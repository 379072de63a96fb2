/**
 * The machine's load average, for choosing how many threads to start: read
 * only when this process may read it without asking (no prompt, ever).
 *
 * @module
 */

/**
 * The 1-minute load average: `Deno.loadavg()` when `--allow-sys=loadavg`
 * is granted, else `/proc/loadavg` when it may be read (Linux); otherwise
 * undefined.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadAverage } from "./load_average.ts";
 * const load = loadAverage();
 * assert.ok(load === undefined || (Number.isFinite(load) && load >= 0));
 * ```
 */
export function loadAverage(): number | undefined {
  try {
    if (Deno.permissions.querySync({ name: "sys", kind: "loadavg" }).state === "granted") {
      return Deno.loadavg()[0];
    }
    if (Deno.permissions.querySync({ name: "read", path: PROC }).state === "granted") {
      const load = Number.parseFloat(Deno.readTextFileSync(PROC));
      return Number.isFinite(load) && load >= 0 ? load : undefined;
    }
  } catch { /* not there (not Linux), or not allowed */ }
  return undefined;
}

const PROC = "/proc/loadavg";
