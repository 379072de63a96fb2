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

Deno.test("examples/orchestrator.py falls back to npx -y deno@2.9.6 when deno is not on PATH", async () => {
  const root = await tempProject();
  // A PATH with python3 and an npx that records its arguments and runs this Deno.
  const bin = await tempProject();
  const calls = join(bin, "npx-calls.txt");
  await Deno.writeTextFile(
    join(bin, "npx"),
    `#!/bin/sh\necho "$1 $2" >> "${calls}"\nshift 2\nexec "${Deno.execPath()}" "$@"\n`,
  );
  await Deno.chmod(join(bin, "npx"), 0o755);
  // The interpreter itself (python3 on PATH may be a shim script that needs more of PATH).
  const python = new TextDecoder().decode(
    (await new Deno.Command("python3", {
      args: ["-c", "import sys; print(sys.executable)"],
      stdout: "piped",
    }).output()).stdout,
  ).trim();
  await Deno.symlink(python, join(bin, "python3"));
  const out = await new Deno.Command(join(bin, "python3"), {
    args: [join(REPO_ROOT, "examples", "orchestrator.py"), "--root", root, "--feature", "043-py"],
    env: { PATH: bin },
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  assert.match(
    new TextDecoder().decode(out.stdout),
    /^feature 043-py: 1 event\(s\), \$0\.052500$/m,
  );
  // emit and cost, both through npx with the pinned version.
  assert.equal(await Deno.readTextFile(calls), "-y deno@2.9.6\n-y deno@2.9.6\n");
});
