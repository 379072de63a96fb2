import assert from "node:assert/strict";
import { join } from "node:path";
import { REPO_ROOT, tempProject } from "./helpers.ts";

Deno.test("examples/orchestrator.py runs an agent, emits, and reads the cost back", async () => {
  const root = await tempProject();
  const out = await new Deno.Command("python3", {
    args: [join(REPO_ROOT, "examples", "orchestrator.py"), "--root", root, "--feature", "043-py"],
    env: { DENO: Deno.execPath() },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(out.stdout);
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  assert.match(
    stdout,
    /^recorded [0-9A-Z]{26}: claude claude-sonnet-4-5-20250929 in=1200 out=900 cost=0.0525$/m,
  );
  assert.match(stdout, /^feature 043-py: 1 event\(s\), \$0\.052500$/m);
  const log = await Deno.readTextFile(
    join(root, "kitty-specs", "043-py", "execution.events.jsonl"),
  );
  const event = JSON.parse(log);
  assert.equal(event.payload.wp_id, "WP01");
  assert.equal(event.payload.cache_read_tokens, 40000);
});
