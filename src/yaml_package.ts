/**
 * The YAML package, pinned with a full `npm:` specifier like `deps.ts`
 * (re-exported here only; `yaml.ts` sets up how it reads).
 *
 * @module
 */
export { CORE_SCHEMA, load, mergeTag, YAMLException } from "npm:js-yaml@5.5.0";
