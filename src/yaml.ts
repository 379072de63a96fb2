/**
 * The YAML parser (the package is pinned in `yaml_package.ts`). A
 * module of its own so that reading YAML does not load the schema library
 * (and the reverse): each costs start-up on every run that imports it.
 *
 * @module
 */
import { CORE_SCHEMA, load, mergeTag, YAMLException } from "./yaml_package.ts";

export { YAMLException };

// The core schema (YAML 1.2: `yes` stays text) with merge keys: a settings
// file may share fields through an anchor (`<<: *defaults`), as YAML 1.1 did.
const SCHEMA = CORE_SCHEMA.withTags(mergeTag);

/**
 * Parses one YAML document: the core schema plus `<<` merge keys. Throws
 * {@linkcode YAMLException} on invalid YAML (duplicate keys included).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseYaml } from "./yaml.ts";
 * assert.deepEqual(parseYaml("a: &d {p: 1, q: 2}\nb: {<<: *d, q: 3}\n"), {
 *   a: { p: 1, q: 2 },
 *   b: { p: 1, q: 3 },
 * });
 * ```
 */
export function parseYaml(text: string): unknown {
  return load(text, { schema: SCHEMA });
}
