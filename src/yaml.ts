/**
 * The YAML parser, pinned with a full `npm:` specifier like `deps.ts`. A
 * module of its own so that reading YAML does not load the schema library
 * (and the reverse): each costs start-up on every run that imports it.
 *
 * @module
 */
export { load as parseYaml, YAMLException } from "npm:js-yaml@5.5.0";
