/**
 * The tool's version (kept equal to `version` in deno.json; a test checks).
 *
 * @example
 * ```ts
 * import { VERSION } from "./version.ts";
 * console.assert(/^\d+\.\d+\.\d+/.test(VERSION));
 * ```
 */
export const VERSION = "0.1.0";
