/**
 * The README cannot drift from the tool: every fenced `sh` block that uses
 * `kitty-telemetry` is run against a fresh copy of the demo project, a
 * `text output` block must equal what the `sh` block before it prints, and
 * the demo's output is what `deno task demo` prints. Blocks fenced
 * `sh not-run` are left alone (see docs/readme_commands.md).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { REPO_ROOT, tempProject } from "./helpers.ts";
import { PERMISSIONS } from "../scripts/compile.ts";
import { GROUP_KEYS } from "../src/cost/group_keys.ts";

/** A fenced block: its info string, its text and the line it starts on. */
interface Block {
  info: string;
  text: string;
  line: number;
}

/** Every fenced block of a markdown text. */
function fencedBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(.*)$/.exec(lines[i]);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && lines[i] !== "```"; i++) body.push(lines[i]);
    blocks.push({ info: open[1].trim(), text: body.join("\n") + "\n", line: start + 1 });
  }
  return blocks;
}

const README = await Deno.readTextFile(join(REPO_ROOT, "README.md"));
const BLOCKS = fencedBlocks(README);
const TOOL = "kitty-telemetry";

async function copyTree(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const entry of Deno.readDir(from)) {
    const [a, b] = [join(from, entry.name), join(to, entry.name)];
    if (entry.isDirectory) await copyTree(a, b);
    else await Deno.copyFile(a, b);
  }
}

/** Runs a README block with bash in a fresh copy of the demo project. */
async function runBlock(script: string): Promise<{ code: number; output: string }> {
  const root = await tempProject();
  await copyTree(join(REPO_ROOT, "examples", "demo"), root);
  // The tool as installed: this checkout's main.ts under the compiled binary's permissions.
  const prelude = `${TOOL}() { "$KT_DENO" run --quiet --no-prompt ${
    PERMISSIONS.join(" ")
  } "$KT_MAIN" "$@"; }\nset -e -o pipefail\n`;
  const out = await new Deno.Command("bash", {
    args: ["-c", prelude + script],
    cwd: root,
    env: { KT_DENO: Deno.execPath(), KT_MAIN: join(REPO_ROOT, "main.ts"), NO_COLOR: "1" },
    clearEnv: false,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, output: text(out.stdout) + text(out.stderr) };
}

const runnable = BLOCKS.filter((b) => b.info === "sh" && b.text.includes(TOOL));

Deno.test("the README has runnable blocks, and every sh block is either run or marked not-run", () => {
  assert.ok(runnable.length >= 2, `only ${runnable.length} runnable block(s)`);
  for (const b of BLOCKS.filter((b) => b.info.startsWith("sh"))) {
    assert.ok(
      b.info === "sh" || b.info === "sh not-run",
      `README.md:${b.line}: fence "${b.info}": use sh or sh not-run`,
    );
    assert.ok(
      b.info !== "sh" || b.text.includes(TOOL),
      `README.md:${b.line}: an sh block that does not use the tool: mark it sh not-run`,
    );
  }
});

for (const block of runnable) {
  Deno.test(`README.md:${block.line}: the sh block runs (exit 0, no error)`, async () => {
    const run = await runBlock(block.text);
    assert.equal(run.code, 0, `README.md:${block.line}\n${block.text}\n${run.output}`);
    assert.doesNotMatch(run.output, /^error: /m, run.output);
  });
}

const outputs = BLOCKS.filter((b) => b.info === "text output");

Deno.test("the README shows real output: at least one text output block", () => {
  assert.ok(outputs.length >= 1);
});

for (const shown of outputs) {
  Deno.test(`README.md:${shown.line}: the output shown is what the sh block before it prints`, async () => {
    const before = BLOCKS[BLOCKS.indexOf(shown) - 1];
    assert.ok(runnable.includes(before), `README.md:${shown.line}: no runnable sh block before it`);
    assert.equal((await runBlock(before.text)).output, shown.text);
  });
}

Deno.test("the README's demo output is what `deno task demo` prints", async () => {
  const intro = README.indexOf("`task demo` prints:");
  assert.ok(intro > 0, "the README introduces the demo's output");
  const shown = BLOCKS.find((b) => b.info === "text" && README.indexOf(b.text) > intro);
  assert.ok(shown !== undefined);
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["task", "--quiet", "demo"],
    cwd: REPO_ROOT,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  assert.equal(out.code, 0);
  assert.equal(
    text(out.stdout) + text(out.stderr),
    shown.text,
    "README.md: the demo output shown is stale: paste the output of `deno task --quiet demo`",
  );
});

Deno.test("the README lists every group key", () => {
  const line = README.split("\n\n").find((p) => p.startsWith("Group keys: "));
  assert.ok(line !== undefined);
  assert.ok(line.startsWith(`Group keys: ${GROUP_KEYS.map((k) => `\`${k}\``).join(", ")} `), line);
});
