/**
 * Once the line is appended the emit has succeeded (issue 14, point 9): a
 * clock file that cannot be written afterwards is a warning, not a failure,
 * and "nothing written" is said only when it is true.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cli, tempProject } from "./helpers.ts";

/**
 * Makes `dir` refuse new files (so the clock file's temp file cannot be
 * created) while its existing log stays appendable: mode 0555, and for root,
 * who ignores modes, the immutable attribute. Null when neither works here.
 */
async function freezeDir(dir: string): Promise<(() => Promise<void>) | null> {
  const works = async () => {
    try {
      await Deno.writeTextFile(join(dir, "probe"), "");
      await Deno.remove(join(dir, "probe"));
      return false;
    } catch {
      return true;
    }
  };
  await Deno.chmod(dir, 0o555);
  const thaw = async () => {
    await new Deno.Command("chattr", { args: ["-i", dir], stderr: "null" }).output()
      .catch(() => {});
    await Deno.chmod(dir, 0o755);
  };
  if (await works()) return thaw;
  const chattr = await new Deno.Command("chattr", { args: ["+i", dir], stderr: "null" }).output()
    .catch(() => null);
  if (chattr?.success && await works()) return thaw;
  await thaw();
  return null;
}

/** Whether a folder can be made to refuse new files here (mode 0555, or chattr +i as root). */
const CAN_FREEZE = await (async () => {
  const probe = await Deno.makeTempDir();
  const thaw = await freezeDir(probe);
  await thaw?.();
  return thaw !== null;
})();

Deno.test({
  name: "a clock file that cannot be written after the append: exit 0, the id, a warning",
  // Ignored only where no folder can be made read-only (root without chattr +i).
  ignore: !CAN_FREEZE,
  fn: async () => {
    const root = await tempProject();
    const args = ["emit", "--feature", "043-w", "--agent", "x", "--role", "r", "--root", root];
    assert.equal((await cli(args)).code, 0);
    const dir = join(root, "kitty-specs", "043-w");
    const thaw = await freezeDir(dir);
    assert.ok(thaw, "the folder froze, as the probe did");
    try {
      for (const [i, extra] of [[], ["--best-effort"]].entries()) {
        const now = new Date(Date.UTC(2026, 2, 3, i));
        const run = await cli([...args, ...extra], { now });
        assert.equal(run.code, 0, run.stderr);
        assert.match(run.stdout, /^[0-9A-Z]{26}\n$/);
        assert.match(run.stderr, /warning: .*clock file.*recorded/);
        assert.ok(!/nothing written/.test(run.stderr), run.stderr);
        const log = await Deno.readTextFile(join(dir, "execution.events.jsonl"));
        assert.ok(log.includes(run.stdout.trim()));
      }
    } finally {
      await thaw();
    }
    // The next emit recovers the clock from the log's tail: no value is reused.
    const next = await cli([...args, "--json"], { now: new Date(Date.UTC(2026, 2, 4)) });
    assert.equal(JSON.parse(next.stdout).lamport_clock, 4);
  },
});
