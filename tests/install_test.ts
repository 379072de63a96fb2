/**
 * The README's install line is the way to put the tool on PATH: its
 * permissions are the compiled binary's (one list: scripts/compile.ts), and
 * it installs a working command (into a temporary DENO_INSTALL_ROOT).
 */
import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { REPO_ROOT, tempProject } from "./helpers.ts";
import { PERMISSIONS } from "../scripts/compile.ts";
import { VERSION } from "../src/version.ts";

const README = await Deno.readTextFile(join(REPO_ROOT, "README.md"));
const INSTALL = README.split("\n").filter((l) => l.startsWith("deno install "));

Deno.test("the README's install line has exactly the compiled binary's permissions, --no-prompt", () => {
  assert.equal(INSTALL.length, 1, "one install line in the README");
  const words = INSTALL[0].split(/\s+/);
  assert.deepEqual(words.slice(0, 6), [
    "deno",
    "install",
    "-g",
    "-n",
    "kitty-telemetry",
    "--no-prompt",
  ]);
  assert.deepEqual(words.filter((w) => w.startsWith("--allow-")), [...PERMISSIONS]);
  assert.match(words.at(-1)!, /\/main\.ts$/);
});

Deno.test("every deno run line in the README and the docs has --no-prompt", async () => {
  const texts = [README];
  for await (const e of Deno.readDir(join(REPO_ROOT, "docs"))) {
    if (e.name.endsWith(".md")) {
      texts.push(await Deno.readTextFile(join(REPO_ROOT, "docs", e.name)));
    }
  }
  const runs = texts.flatMap((t) => t.split("\n")).filter((l) => /^\s*(\S*\/)?deno run /.test(l));
  assert.ok(runs.length >= 1);
  for (const line of runs) assert.match(line, /--no-prompt/, line);
});

Deno.test("the install line, run with a temporary DENO_INSTALL_ROOT, installs a working command", async () => {
  const installRoot = await tempProject();
  const args = INSTALL[0].split(/\s+/).slice(1, -1).concat(join(REPO_ROOT, "main.ts"));
  const env = {
    DENO_INSTALL_ROOT: installRoot,
    // The installed script starts `deno` from PATH.
    PATH: `${dirname(Deno.execPath())}:${Deno.env.get("PATH") ?? ""}`,
    NO_COLOR: "1",
  };
  const install = await new Deno.Command(Deno.execPath(), {
    args,
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(install.code, 0, new TextDecoder().decode(install.stderr));
  const command = join(installRoot, "bin", "kitty-telemetry");
  const run = async (...a: string[]) => {
    const out = await new Deno.Command(command, { args: a, env, stdout: "piped", stderr: "piped" })
      .output();
    const text = (b: Uint8Array) => new TextDecoder().decode(b);
    return { code: out.code, stdout: text(out.stdout), stderr: text(out.stderr) };
  };
  assert.deepEqual(await run("--version"), {
    code: 0,
    stdout: `kitty-telemetry ${VERSION}\n`,
    stderr: "",
  });
  // Its permissions suffice to record and to read back.
  const root = await tempProject();
  const emit = await run(
    "emit",
    "--root",
    root,
    "--feature",
    "043-x",
    "--agent",
    "a",
    "--role",
    "r",
  );
  assert.equal(emit.code, 0, emit.stderr);
  const cost = await run("cost", "--root", root, "--json");
  assert.equal(JSON.parse(cost.stdout).total.event_count, 1);
});

// `script` gives the child a terminal: where Deno would ask for a permission.
const HAS_SCRIPT = (() => {
  try {
    return new Deno.Command("script", { args: ["--version"], stdout: "null", stderr: "null" })
      .outputSync().success;
  } catch {
    return false;
  }
})();

Deno.test({
  name: "in a terminal, without --no-prompt and without optional permissions, nothing prompts",
  ignore: !HAS_SCRIPT, // util-linux `script` provides the terminal
  fn: async () => {
    const root = await tempProject();
    const main = join(REPO_ROOT, "main.ts");
    // emit reads the host name (--allow-sys) and cost reads COLUMNS: neither is granted here.
    const deno = `${Deno.execPath()} run --allow-read=${root},${REPO_ROOT} --allow-write=${root}`;
    const line = `${deno} ${main} emit --root ${root} --feature 043-x --agent a --role r && ` +
      `${deno} ${main} cost --root ${root}`;
    const out = await new Deno.Command("script", {
      args: ["-qec", line, "/dev/null"],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(30_000), // a prompt would wait for an answer
    }).output();
    const text = new TextDecoder().decode(out.stdout);
    assert.doesNotMatch(text, /Deno requests/, text);
    assert.equal(out.code, 0, text);
    assert.match(text, /TOTAL/);
  },
});
