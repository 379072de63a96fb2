/**
 * The modules loaded by URL at run time (a Web Worker's entry, the reducers
 * it imports) rather than by a static import. `deno compile` cannot find
 * those on its own, so `scripts/compile.ts` passes each one as `--include`;
 * naming them here, once, keeps the code that loads them and the build in
 * step.
 *
 * @module
 */
import { DataError } from "./errors.ts";

/**
 * The entry of `parallelScan`'s workers. `src/read/parallel_scan.ts` spells
 * it too, where it starts them; `tests/compile_test.ts` checks the two agree.
 */
export const SCAN_WORKER: URL = new URL("./read/scan_worker.ts", import.meta.url);

/** The entry of a file export's encoding worker (`src/export/parallel_export.ts`). */
export const EXPORT_WORKER: URL = new URL("./export/export_worker.ts", import.meta.url);

/** The entry of `query`'s workers (`src/query/query_workers.ts` starts them from here). */
export const QUERY_WORKER: URL = new URL("./query/query_worker.ts", import.meta.url);

/** The entry of `verify`'s worker (`src/store/verify_threads.ts` starts it). */
export const VERIFY_WORKER: URL = new URL("./store/verify_worker.ts", import.meta.url);

/** The reducer that `cost` hands to the scan workers. */
export const COST_REDUCER: URL = new URL("./cost/cost_reducer.ts", import.meta.url);

/** The reducer of counting each id once's second read (`cli/count_once.ts`). */
export const CANDIDATE_REDUCER: URL = new URL("./cli/candidate_reducer.ts", import.meta.url);

/** The reducer that `report` hands to the scan workers. */
export const REPORT_REDUCER: URL = new URL("./report/report_reducer.ts", import.meta.url);

/** The reducer of `cost --columns duration`'s second read. */
export const DURATION_REDUCER: URL = new URL("./report/duration_sums.ts", import.meta.url);

/**
 * The CLI's modules loaded on demand: each command (`src/cli/run.ts` loads
 * the one named) and the readers of files a run may not have (a pricing
 * file, a budgets file, an agent's output), which bring zod and js-yaml.
 * Loaded by URL rather than by a literal `import("./cost.ts")`: Deno builds
 * the graph of every literal dynamic import when the process starts (every
 * command's modules and the npm packages they name, for `--version` too),
 * but a module loaded by URL only when it is loaded.
 */
export const CLI_MODULES = {
  emit: new URL("./cli/emit.ts", import.meta.url),
  cost: new URL("./cli/cost.ts", import.meta.url),
  query: new URL("./cli/query.ts", import.meta.url),
  pricing: new URL("./cli/pricing.ts", import.meta.url),
  import: new URL("./cli/import.ts", import.meta.url),
  git_setup: new URL("./cli/git_setup.ts", import.meta.url),
  merge_driver: new URL("./cli/merge_driver.ts", import.meta.url),
  verify: new URL("./cli/verify.ts", import.meta.url),
  export: new URL("./cli/export.ts", import.meta.url),
  budget: new URL("./cli/budget.ts", import.meta.url),
  report: new URL("./cli/report.ts", import.meta.url),
  import_otlp: new URL("./cli/import_otlp.ts", import.meta.url),
  emit_from: new URL("./cli/emit_from.ts", import.meta.url),
  pricing_update: new URL("./cli/pricing_update.ts", import.meta.url),
  pricing_parse: new URL("./cost/pricing_parse.ts", import.meta.url),
  budget_file: new URL("./budget/budget_file.ts", import.meta.url),
} as const;

/**
 * Loads a module by URL (one of this file's), typed by the caller:
 * `await loadModule<typeof import("./cli/cost.ts")>(CLI_MODULES.cost)`
 * (a type-only import, which loads nothing).
 */
export async function loadModule<M>(url: URL): Promise<M> {
  try {
    return await import(url.href) as M;
  } catch (error) {
    // Deno needs read access to a module imported by a computed URL, and says so
    // as a "module not found" TypeError naming no directory: name the one to allow.
    if (url.protocol === "file:" && !readable(url)) {
      const dir = decodeURIComponent(new URL(".", import.meta.url).pathname);
      throw new DataError(
        `kitty-telemetry loads its own modules from ${dir}: allow reading them ` +
          `(--allow-read=${dir},<your project>, or --allow-read)`,
        { cause: error },
      );
    }
    throw error;
  }
}

function readable(url: URL): boolean {
  try {
    return Deno.permissions.querySync({ name: "read", path: url }).state === "granted";
  } catch {
    return false;
  }
}

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
  VERIFY_WORKER,
  COST_REDUCER,
  CANDIDATE_REDUCER,
  REPORT_REDUCER,
  DURATION_REDUCER,
  ...Object.values(CLI_MODULES),
];
