/**
 * The one place where third-party packages are pinned with full `npm:`
 * specifiers. Full specifiers (rather than bare names mapped in deno.json)
 * are what let `deno run <url>/main.ts` work with no local config file.
 *
 * @module
 */
export { z } from "npm:zod@4.6.7";
// js-yaml is pinned in yaml.ts, so that loading one does not load the other.
