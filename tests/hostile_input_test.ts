/** Hostile input: each case is rejected cleanly or handled as documented, log untouched. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cli, readOrNull, tempProject } from "./helpers.ts";
import { JsonlStore } from "../src/store/jsonl_store.ts";

const BASE = ["emit", "--feature", "043-h", "--agent", "a", "--role", "r"];

async function seeded() {
  const root = await tempProject();
  assert.equal((await cli([...BASE, "--root", root])).code, 0);
  const log = join(root, "kitty-specs", "043-h", "execution.events.jsonl");
  return { root, log, before: await Deno.readTextFile(log) };
}

Deno.test("a feature folder symlinked out of the project is refused, nothing written outside", async () => {
  const root = await tempProject();
  const outside = await tempProject();
  await Deno.mkdir(join(root, "kitty-specs"));
  await Deno.symlink(outside, join(root, "kitty-specs", "043-h"));
  const run = await cli([...BASE, "--root", root]);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /^error: .*resolves outside the project root/);
  assert.deepEqual(await Array.fromAsync(Deno.readDir(outside)), []);
});

Deno.test("a log file that is a symlink is neither written nor read", async () => {
  const root = await tempProject();
  const outside = join(await tempProject(), "elsewhere.jsonl");
  await Deno.writeTextFile(outside, "");
  await Deno.mkdir(join(root, "kitty-specs", "043-h"), { recursive: true });
  await Deno.symlink(outside, join(root, "kitty-specs", "043-h", "execution.events.jsonl"));
  const run = await cli([...BASE, "--root", root]);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /is a symbolic link; refusing to follow it/);
  assert.equal(await Deno.readTextFile(outside), "");
  const warnings: string[] = [];
  await new JsonlStore(root, { onWarning: (w) => warnings.push(w) }).loadAll();
  assert.match(warnings[0], /is a symbolic link/);
});

Deno.test("an error text over 64 KiB is kept cut to 64 KiB with a marker and a warning", async () => {
  const root = await tempProject();
  const run = await cli([
    ...BASE,
    "--failure",
    "--error",
    "x".repeat(200_000),
    "--root",
    root,
    "--json",
  ]);
  assert.equal(run.code, 0);
  assert.match(run.stderr, /warning: --error: text over 64 KiB cut to 64 KiB/);
  const error: string = JSON.parse(run.stdout).payload.error;
  assert.equal(new TextEncoder().encode(error).length, 64 * 1024); // the cap is in UTF-8 bytes
  assert.match(error, /… \[cut: 200000 characters in all\]$/);
});

const BAD_STDIN: Array<[string, Uint8Array | string, RegExp]> = [
  [
    "non-UTF-8 bytes",
    new Uint8Array([0x7b, 0x22, 0x61, 0xff, 0xfe, 0x22, 0x7d, 0x0a]),
    /not valid UTF-8/,
  ],
  [
    "a line over 4 MiB",
    `{"agent":"a","role":"r","error":"${"y".repeat(5 * 1024 * 1024)}"}\n`,
    /longer than 4 MiB/,
  ],
  [
    "tokens beyond 2^53",
    '{"agent":"a","role":"r","input_tokens":9007199254740993}\n',
    /input_tokens/,
  ],
  [
    "a number that overflows to Infinity",
    '{"agent":"a","role":"r","cost_usd":1e400}\n',
    /cost_usd/,
  ],
  ["NaN", '{"agent":"a","role":"r","cost_usd":NaN}\n', /invalid JSON/],
  [
    "deeply nested JSON",
    `{"agent":"a","role":"r","x":${"[".repeat(100_000)}${"]".repeat(100_000)}}\n`,
    /x: unknown field|invalid JSON/,
  ],
  [
    "a NUL in a name",
    '{"agent":"a\\u0000","role":"r"}\n',
    /agent: must not contain control characters/,
  ],
  ["an overlong model name", `{"agent":"a","role":"r","model":"${"m".repeat(300)}"}\n`, /model/],
  [
    "a negative exit code beyond 32 bits",
    '{"agent":"a","role":"r","exit_code":-4294967296}\n',
    /exit_code/,
  ],
];

for (const [what, stdin, message] of BAD_STDIN) {
  Deno.test(`emit --stdin rejects ${what} (exit 2) and leaves the log byte-identical`, async () => {
    const { root, log, before } = await seeded();
    const text = typeof stdin === "string" ? stdin : new TextDecoder("latin1").decode(stdin);
    const run = await cli(["emit", "--feature", "043-h", "--stdin", "--root", root], {
      stdin: typeof stdin === "string" ? stdin : undefined,
      stdinBytes: typeof stdin === "string" ? undefined : stdin,
    });
    assert.equal(run.code, 2, `${run.stderr} ${text.slice(0, 40)}`);
    assert.match(run.stderr, /^error: [^\n]+\n$/);
    assert.match(run.stderr, message);
    assert.equal(await readOrNull(log), before);
  });
}

Deno.test("duplicate keys in a stdin line: the last one wins, as in JSON.parse (documented)", async () => {
  const root = await tempProject();
  const run = await cli(["emit", "--feature", "043-h", "--stdin", "--root", root, "--json"], {
    stdin: '{"agent":"first","agent":"second","role":"r"}\n',
  });
  assert.equal(run.code, 0);
  assert.equal(JSON.parse(run.stdout).payload.agent, "second");
});

Deno.test("wp ids that look like paths are data, never paths", async () => {
  const root = await tempProject();
  const run = await cli([...BASE, "--wp", "../../etc/passwd", "--root", root, "--json"]);
  assert.equal(run.code, 0);
  assert.equal(JSON.parse(run.stdout).payload.wp_id, "../../etc/passwd");
  assert.deepEqual((await Array.fromAsync(Deno.readDir(root))).map((e) => e.name), ["kitty-specs"]);
});
