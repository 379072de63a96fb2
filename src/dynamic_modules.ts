/**
 * The modules loaded by URL at run time (a Web Worker's entry, the reducers
 * it imports) rather than by a static import. `deno compile` cannot find
 * those on its own, so `scripts/compile.ts` passes each one as `--include`;
 * naming them here, once, keeps the code that loads them and the build in
 * step.
 *
 * @module
 */

/**
 * The entry of `parallelScan`'s workers. `src/read/parallel_scan.ts` spells
 * it too, where it starts them; `tests/compile_test.ts` checks the two agree.
 */
export const SCAN_WORKER: URL = new URL("./read/scan_worker.ts", import.meta.url);

/** The entry of a file export's encoding worker (`src/export/parallel_export.ts`). */
export const EXPORT_WORKER: URL = new URL("./export/export_worker.ts", import.meta.url);

/** The entry of `query`'s workers (`src/query/query_workers.ts` starts them from here). */
export const QUERY_WORKER: URL = new URL("./query/query_worker.ts", import.meta.url);

/** The reducer that `cost` hands to the scan workers. */
export const COST_REDUCER: URL = new URL("./cost/cost_reducer.ts", import.meta.url);

/** The reducer that `report` hands to the scan workers. */
export const REPORT_REDUCER: URL = new URL("./report/report_reducer.ts", import.meta.url);

/** The reducer of `cost --columns duration`'s second read. */
export const DURATION_REDUCER: URL = new URL("./report/duration_sums.ts", import.meta.url);

/**
 * Every module above: what a compiled binary must embed beyond the static
 * graph of `main.ts`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DYNAMIC_MODULES } from "./dynamic_modules.ts";
 * for (const url of DYNAMIC_MODULES) assert.ok((await Deno.stat(url)).isFile);
 * ```
 */
export const DYNAMIC_MODULES: readonly URL[] = [
  SCAN_WORKER,
  EXPORT_WORKER,
  QUERY_WORKER,
  COST_REDUCER,
  REPORT_REDUCER,
  DURATION_REDUCER,
];
