/** Every command's help keeps each flag apart from its text, within 100 columns. */
import assert from "node:assert/strict";
import { cli } from "./helpers.ts";
import { COMMAND_NAMES } from "../src/cli/run.ts";

Deno.test("every flag line of every help has its text at least two spaces after it", async () => {
  const bad: string[] = [];
  let flags = 0;
  for (const command of COMMAND_NAMES) {
    const { stdout, code } = await cli([command, "--help"]);
    assert.equal(code, 0, command);
    for (const line of stdout.split("\n")) {
      if (line.length > 100) bad.push(`${command}: too wide: ${line}`);
      if (!line.startsWith("  --")) continue;
      flags++;
      // `  --flag VALUE   text` or `  --flag VALUE` alone (text on the next line).
      if (!/^ {2}--\S+(?: [^\s-]\S*)?(?: {2,}\S.*)?$/.test(line)) bad.push(`${command}: ${line}`);
    }
  }
  assert.ok(flags > 40, `only ${flags} flag lines found`);
  assert.deepEqual(bad, []);
});

Deno.test("every command that finds the project words --root alike: the variable, each marker", async () => {
  const { rootHelp } = await import("../src/cli/args.ts");
  const commands = COMMAND_NAMES.filter((c) =>
    !["pricing", "git-setup", "merge-driver"].includes(c)
  );
  assert.equal(commands.length, 8);
  for (const command of commands) {
    const { stdout } = await cli([command, "--help"]);
    const root = stdout.slice(stdout.indexOf("\n  --root DIR") + 1).split(/\n {2}-/)[0];
    assert.match(
      root,
      /\$KITTY_TELEMETRY_ROOT, else the\s+nearest\s+ancestor\s+holding\s+kitty-specs\/, \.kittify\/ or \.git/,
      command,
    );
    // Those that write refuse to run outside a project; the others read the current folder.
    const writes = ["emit", "import"].includes(command);
    assert.equal(
      root.trimEnd() + "\n",
      rootHelp(root.indexOf("project"), { requireProject: writes }) + "\n",
      command,
    );
  }
});
