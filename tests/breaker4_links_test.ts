/**
 * Links in the project, as readers see them (`ProjectLayout.features`): a
 * feature folder that is a link to a folder is a feature. Readers had
 * listed real folders only, so the events emit wrote through a link inside
 * the project were in no total, and verify said "0 feature(s)".
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cli } from "./helpers.ts";
import { projectWith } from "./otlp/otlp_helpers.ts";

Deno.test("a feature folder linked inside the project: emit writes through it and every reader counts it", async () => {
  const root = await Deno.makeTempDir();
  await Deno.mkdir(join(root, "kitty-specs"), { recursive: true });
  await Deno.mkdir(join(root, "work", "044-y"), { recursive: true });
  await Deno.symlink(join(root, "work", "044-y"), join(root, "kitty-specs", "044-y"));
  const flags = ["--agent", "claude", "--role", "implementer", "--model", "claude-sonnet-4-5"];
  const emit = await cli(["emit", "--root", root, "--feature", "044-y", "--wp", "WP01", ...flags]);
  assert.equal(emit.code, 0, emit.stderr);
  // The event emit wrote (exit 0, its id printed) had been in no total: cost and query
  // listed only real folders, verify said "0 feature(s)".
  const cost = await cli(["cost", "--root", root, "--json"]);
  assert.equal(cost.code, 0, cost.stderr);
  assert.equal(JSON.parse(cost.stdout).total.event_count, 1);
  const query = await cli(["query", "--root", root]);
  assert.equal(JSON.parse(query.stdout).event_id, emit.stdout.trim());
  const verify = await cli(["verify", "--root", root]);
  assert.match(verify.stdout + verify.stderr, /1 feature\(s\), 1 event\(s\), no problems/);
});

Deno.test("a feature folder linked out of the project is read, and verify names the link", async () => {
  const { root: outside } = await projectWith(3);
  const root = await Deno.makeTempDir();
  await Deno.mkdir(join(root, "kitty-specs"));
  await Deno.symlink(
    join(outside, "kitty-specs", "043-otel"),
    join(root, "kitty-specs", "043-otel"),
  );
  // Its events are in the totals (as through a linked kitty-specs), not silently left out.
  const cost = await cli(["cost", "--root", root, "--json"]);
  assert.equal(JSON.parse(cost.stdout).total.event_count, 3);
  // verify names it as a problem: emit will not write through it.
  const verify = await cli(["verify", "--root", root]);
  assert.equal(verify.code, 1);
  assert.match(verify.stdout + verify.stderr, /043-otel.*symbolic link that resolves outside/);
});
