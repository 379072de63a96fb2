/**
 * Links in the project, as readers see them. Found by the adversarial
 * review and not fixed here (the readers' file list is `query/query.ts`
 * `matchingLogs`, another engineer's room at the time).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cli } from "./helpers.ts";
import { projectWith } from "./otlp/otlp_helpers.ts";

Deno.test({
  name: "a feature folder linked out of the project: cost says it left it out",
  // BUG: input: kitty-specs/043-otel a symbolic link to a folder outside the
  // project holding a log of 3 events. Expected: cost warns on stderr that the
  // folder is a link it does not follow (as verify reports and emit refuses).
  // Got: "No execution events match." and exit 0, no word about the folder
  // (ProjectLayout.features() keeps only entries that are folders, so readers
  // never see it). A kitty-specs that is itself a link out of the project is
  // the other way round: cost and query read through it, while emit and
  // verify refuse it.
  ignore: true,
  fn: async () => {
    const { root: outside } = await projectWith(3);
    const root = await Deno.makeTempDir();
    await Deno.mkdir(join(root, "kitty-specs"));
    await Deno.symlink(
      join(outside, "kitty-specs", "043-otel"),
      join(root, "kitty-specs", "043-otel"),
    );
    const run = await cli(["cost", "--root", root]);
    assert.match(run.stderr, /043-otel.*symbolic link/);
  },
});
