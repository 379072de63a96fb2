/**
 * The one name-identity rule: two names are the same name when they are
 * equal after Unicode NFC, so `café` typed as U+00E9 and as `e` + U+0301
 * (macOS file names, some editors) is one agent, one row, one filter value.
 * Applied where a name becomes a group key or meets a filter or budget
 * value, never to what is written or printed as recorded. No case folding
 * here (models fold case on top of this: see `modelKey`).
 *
 * @module
 */

/**
 * A name's identity: its NFC form; an ASCII name (nearly all) is returned
 * as is, with no normalisation run.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nameKey } from "./name_key.ts";
 * assert.equal(nameKey("cafe\u0301"), "caf\u00e9");
 * assert.equal(nameKey("caf\u00e9"), "caf\u00e9");
 * assert.equal(nameKey("Codex"), "Codex");
 * ```
 */
export function nameKey(name: string): string {
  for (let i = 0; i < name.length; i++) {
    if (name.charCodeAt(i) >= 0x80) return name.normalize("NFC");
  }
  return name;
}
