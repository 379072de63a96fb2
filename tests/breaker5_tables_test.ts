/**
 * Text tables with names a team writes: wide CJK letters, combining accents,
 * emoji (one code point, a ZWJ sequence). Columns must line up as a terminal
 * shows them (they were padded by UTF-16 length: `日本語` pushed its row 3
 * columns right, `éx` spelt with a combining accent 1 column left).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cli, emitted, tempProject } from "./helpers.ts";

const NOW = new Date("2026-03-02T10:00:00.000Z");
/** Each name and the columns a terminal gives it (wcwidth, by hand). */
const NAMES: [string, number][] = [
  ["日本語", 6],
  // A combining accent NFC keeps (no precomposed x with acute): names are grouped and shown in
  // NFC (src/event/name_key.ts), where `e` + U+0301 would show as U+00E9.
  ["x\u0301y", 2],
  ["😀😀", 4],
  ["🏳️‍🌈", 2],
  ["a\u200bb\u200e", 2], // a zero-width space, a left-to-right mark
  ["plain-ascii", 11],
];

/**
 * Asserts the first column is padded to one width: the name, then spaces,
 * then the next column starts at the same terminal column on every row.
 */
function assertAligned(lines: string[], names: [string, number][]) {
  const starts = new Map<string, number>();
  for (const [name, width] of names) {
    const line = lines.find((l) => l.startsWith(name + " "));
    assert.ok(line !== undefined, `a row for ${name}:\n${lines.join("\n")}`);
    const spaces = /^ */.exec(line.slice(name.length))![0].length;
    starts.set(name, width + spaces);
  }
  assert.equal(
    new Set(starts.values()).size,
    1,
    `${JSON.stringify([...starts])}\n${lines.join("\n")}`,
  );
}

async function project(): Promise<string> {
  const root = await tempProject();
  for (const [name] of NAMES) {
    await emitted(
      root,
      ["--agent", name, "--model", "claude-sonnet-4-5", "--input-tokens", "1000"],
      {
        now: NOW,
      },
    );
  }
  return root;
}

Deno.test("cost's table lines up wide, combining and emoji names as a terminal shows them", async () => {
  const root = await project();
  const run = await cli(["cost", "--root", root], { now: NOW });
  assert.equal(run.code, 0, run.stderr);
  const lines = run.stdout.trimEnd().split("\n");
  assertAligned(lines, [...NAMES, ["TOTAL", 5]]);
  // The rule under the header is as wide as the widest name shows.
  assert.ok(lines[1].startsWith("-----------  "), lines[1]);
});

Deno.test("budget's table lines up budget names the same way", async () => {
  const root = await project();
  await Deno.mkdir(join(root, ".kittify"));
  await Deno.writeTextFile(
    join(root, ".kittify", "budgets.yaml"),
    "budgets:\n" +
      NAMES.map(([n]) => `  - {name: ${JSON.stringify(n)}, limit_usd: 100}\n`).join(""),
  );
  const run = await cli(["budget", "--root", root], { now: NOW });
  assert.equal(run.code, 0, run.stderr);
  assertAligned(run.stdout.split("\n"), [...NAMES, ["Budget", 6]]);
});

Deno.test("pricing's table lines up model ids the same way", async () => {
  const root = await tempProject();
  await Deno.mkdir(join(root, ".kittify"));
  const models = NAMES.map(([n]) =>
    `  ${JSON.stringify(n + "-m")}: {source: t, input: 1, output: 2}\n`
  );
  await Deno.writeTextFile(join(root, ".kittify", "pricing.yaml"), "models:\n" + models.join(""));
  const run = await cli([
    "pricing",
    "--root",
    root,
    "--pricing",
    join(root, ".kittify", "pricing.yaml"),
    "--no-builtin-prices",
  ], { now: NOW });
  assert.equal(run.code, 0, run.stderr);
  assertAligned(
    run.stdout.split("\n"),
    NAMES.map(([n, w]): [string, number] => [n + "-m", w + 2]),
  );
});
