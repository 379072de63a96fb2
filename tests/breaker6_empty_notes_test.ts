/**
 * breaker6: the notes on an empty answer of cost and query
 * (src/cli/empty_hint.ts emptyAnswerNotes).
 */
import assert from "node:assert/strict";
import { cli } from "./helpers.ts";

Deno.test("outside a project, a filter gets the note on where it looked, not a list of no values", async () => {
  const outside = await Deno.makeTempDir();
  for (const command of ["cost", "query"]) {
    const run = await cli([command, "--agent", "claude"], { cwd: outside });
    assert.equal(run.code, 0, command);
    const notes = run.stderr.split("\n").filter((l) => l.startsWith("note: "));
    assert.equal(notes.length, 1, `${command}: ${run.stderr}`);
    assert.match(notes[0], /^note: not inside a project: /, command);
  }
});

Deno.test("a project with an empty log and a filter: the filter's hint (a log exists)", async () => {
  const root = await Deno.makeTempDir();
  await Deno.mkdir(`${root}/kitty-specs/001-a`, { recursive: true });
  await Deno.writeTextFile(`${root}/kitty-specs/001-a/execution.events.jsonl`, "");
  const run = await cli(["cost", "--root", root, "--agent", "claude"]);
  assert.equal(run.stderr, 'note: --agent "claude" matches no event; known agents: none\n');
});
