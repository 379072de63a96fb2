/**
 * Names (issue 14, point 11, the name items): one name rule for every name
 * (no C1 controls, no lone surrogates), feature slugs that every system can
 * check out and whose limit is stated in bytes, and `error` cut on a code
 * point at its 64 KiB of UTF-8.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cli, tempProject } from "./helpers.ts";
import { encodeEvent } from "../src/event/line_codec.ts";
import { sampleEvent } from "./store_contract.ts";
import {
  hasControlChars,
  hasLoneSurrogate,
  nameProblem,
  utf8Prefix,
} from "../src/event/text_rules.ts";

const emitArgs = (feature: string, root: string) => [
  "emit",
  "--feature",
  feature,
  "--agent",
  "a",
  "--role",
  "r",
  "--root",
  root,
];

async function entries(dir: string): Promise<string[]> {
  return (await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name).sort();
}

// ------------------------------------------------------------------ slug length, in bytes

Deno.test("a 256-character slug is exit 2 stating the real limit, 255 bytes of UTF-8", async () => {
  const root = await tempProject();
  const run = await cli(emitArgs("a".repeat(256), root));
  assert.equal(run.code, 2);
  assert.match(run.stderr, /must be at most 255 bytes of UTF-8 .*got 256 bytes/);
  assert.doesNotMatch(run.stderr, /File name too long/);
  assert.deepEqual(await entries(root), []);
});

Deno.test("a slug of 86 three-byte characters (258 bytes) is refused; 85 (255 bytes) is taken", async () => {
  const root = await tempProject();
  const over = await cli(emitArgs("€".repeat(86), root));
  assert.equal(over.code, 2);
  assert.match(over.stderr, /255 bytes of UTF-8.*got 258 bytes/);
  const atLimit = await cli(emitArgs("€".repeat(85), root));
  assert.equal(atLimit.code, 0, atLimit.stderr);
  assert.deepEqual(await entries(join(root, "kitty-specs")), ["€".repeat(85)]);
  const ascii = await cli(emitArgs("b".repeat(255), root));
  assert.equal(ascii.code, 0, ascii.stderr);
});

// ------------------------------------------------------------------ slugs other systems cannot check out

const NOT_PORTABLE: Array<[string, RegExp]> = [
  ["CON", /reserved on Windows/],
  ["nul", /reserved on Windows/],
  ["aux", /reserved on Windows/],
  ["Prn", /reserved on Windows/],
  ["com1", /reserved on Windows/],
  ["LPT9", /reserved on Windows/],
  ["con.txt", /reserved on Windows/],
  ["NUL.tar.gz", /reserved on Windows/],
  ["043-x.", /must not end with '\.' or a space/],
  ["043-x ", /must not end with '\.' or a space/],
  ["043:x", /must not contain any of < > : " \| \? \*/],
  ["043-\u200bx", /invisible format characters/],
  ["043-\u200dx", /invisible format characters/],
  ["\ufeff043-x", /invisible format characters/],
  ["043-x\u2060", /invisible format characters/],
  ["043-\u202ex", /invisible format characters/],
  ["043-\u2066x", /invisible format characters/],
  ["043-\u00adx", /invisible format characters/],
];

for (const [slug, why] of NOT_PORTABLE) {
  Deno.test(`slug ${JSON.stringify(slug)} is refused with exit 2, nothing created`, async () => {
    const root = await tempProject();
    const run = await cli(emitArgs(slug, root));
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, why);
    assert.match(run.stderr, /expected a folder name like 043-my-feature/);
    assert.deepEqual(await entries(root), []);
  });
}

for (const slug of ["console", "con-x", "nul_1", "com10", "lpt0", "aux2.d", "043.x", "ÉTÉ-043"]) {
  Deno.test(`slug ${JSON.stringify(slug)} is a portable name and is taken`, async () => {
    const root = await tempProject();
    const run = await cli(emitArgs(slug, root));
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(await entries(join(root, "kitty-specs")), [slug]);
  });
}

Deno.test("import refuses an event whose feature would be a Windows device name", async () => {
  const root = await tempProject();
  const event = sampleEvent({ aggregate_id: "nul" });
  const run = await cli(["import", "-", "--root", root], { stdin: encodeEvent(event) + "\n" });
  assert.equal(run.code, 2, run.stderr);
  assert.match(run.stderr, /"nul": is a device name reserved on Windows/);
  assert.deepEqual(await entries(root), []);
});

Deno.test("an existing folder named CON is still read (portability is asked of new names only)", async () => {
  const root = await tempProject();
  const dir = join(root, "kitty-specs", "CON");
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(
    join(dir, "execution.events.jsonl"),
    encodeEvent(sampleEvent({ aggregate_id: "CON" })) + "\n",
  );
  const cost = await cli(["cost", "--json", "--root", root]);
  assert.equal(cost.code, 0, cost.stderr);
  assert.equal(JSON.parse(cost.stdout).total.event_count, 1);
  const filtered = await cli(["query", "--feature", "CON", "--root", root]);
  assert.equal(filtered.code, 0, filtered.stderr);
  assert.equal(filtered.stdout.trim().split("\n").length, 1);
});

// ------------------------------------------------------------------ one name rule: C1, lone surrogates

const FLAG_NAMES: Array<[string, string]> = [
  ["--agent", "claude\u0085"],
  ["--role", "\u0080reviewer"],
  ["--model", "gpt\u009f5"],
  ["--wp", "WP\u009b01"],
  ["--node-id", "node\u0090a"],
  ["--feature", "043-\u0085"],
];

for (const [flag, value] of FLAG_NAMES) {
  Deno.test(`${flag} holding a C1 control character is exit 2`, async () => {
    const root = await tempProject();
    const args = emitArgs("043-n", root);
    const at = args.indexOf(flag);
    if (at >= 0) args[at + 1] = value;
    else args.push(flag, value);
    const run = await cli(args);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /control characters|U\+007F-U\+009F/);
    assert.deepEqual(await entries(root), []);
  });
}

for (const key of ["agent", "role", "model", "wp_id", "event_type"]) {
  for (
    const [what, text] of [["high", "\\ud800"], ["low", "\\udc00x"], ["reversed", "\\udc00\\ud800"]]
  ) {
    Deno.test(`stdin ${key} holding a lone ${what} surrogate is exit 2`, async () => {
      const root = await tempProject();
      const line = `{"agent":"a","role":"r","${key}":"n${text}"}\n`;
      const run = await cli(["emit", "--feature", "043-n", "--stdin", "--root", root], {
        stdin: line,
      });
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, new RegExp(`${key}: must not contain a lone surrogate`));
      assert.deepEqual(await entries(root), []);
    });
  }
}

Deno.test("a name with a surrogate pair (an emoji) is a valid name", async () => {
  const root = await tempProject();
  const run = await cli(["emit", "--feature", "043-n", "--stdin", "--root", root, "--json"], {
    stdin: '{"agent":"a\\ud83d\\ude00","role":"r"}\n',
  });
  assert.equal(run.code, 0, run.stderr);
  assert.equal(JSON.parse(run.stdout).payload.agent, "a\u{1F600}");
});

Deno.test("a log line whose node_id has a lone surrogate or a C1 control is not an event", async () => {
  const root = await tempProject();
  const dir = join(root, "kitty-specs", "043-n");
  await Deno.mkdir(dir, { recursive: true });
  const good = sampleEvent({ aggregate_id: "043-n" });
  const lone = encodeEvent(sampleEvent({ aggregate_id: "043-n", node_id: "n\ud800" }));
  const c1 = encodeEvent(sampleEvent({ aggregate_id: "043-n", node_id: "n\u0085" }));
  assert.match(lone, /\\ud800/); // JSON.stringify escapes it: the line is valid UTF-8
  await Deno.writeTextFile(
    join(dir, "execution.events.jsonl"),
    [encodeEvent(good), lone, c1].join("\n") + "\n",
  );
  const cost = await cli(["cost", "--json", "--root", root]);
  assert.equal(JSON.parse(cost.stdout).total.event_count, 1);
  assert.match(
    cost.stderr,
    /:2: skipped malformed line: node_id: must not contain a lone surrogate/,
  );
  assert.match(cost.stderr, /:3: skipped malformed line: node_id: must not contain control/);
  const verify = await cli(["verify", "--root", root]);
  assert.match(verify.stdout, /:2: malformed: node_id: must not contain a lone surrogate/);
});

// ------------------------------------------------------------------ error cut at 64 KiB of UTF-8

const LONE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const utf8 = (s: string) => new TextEncoder().encode(s).length;

async function emitError(text: string) {
  const root = await tempProject();
  const run = await cli([
    ...emitArgs("043-e", root),
    "--failure",
    "--error",
    text,
    "--json",
  ]);
  assert.equal(run.code, 0, run.stderr);
  return { run, error: JSON.parse(run.stdout).payload.error as string };
}

for (const offset of ["", "a", "ab", "abc"]) {
  Deno.test(`an error of emoji after ${offset.length} ASCII character(s) is cut on a code point`, async () => {
    const text = offset + "\u{1F600}".repeat(40_000); // 160 KB of UTF-8, 80,000 UTF-16 units
    const { run, error } = await emitError(text);
    assert.match(run.stderr, /warning: --error: text over 64 KiB cut to 64 KiB/);
    const marker = `… [cut: ${text.length} characters in all]`;
    assert.ok(error.endsWith(marker), error.slice(-60));
    const kept = error.slice(0, -marker.length);
    assert.doesNotMatch(error, LONE);
    // The longest whole-code-point start that leaves room for the marker.
    const emoji = Math.floor((64 * 1024 - utf8(marker) - offset.length) / 4);
    assert.equal(kept, offset + "\u{1F600}".repeat(emoji));
    assert.ok(utf8(error) <= 64 * 1024 && utf8(error) > 64 * 1024 - 4);
  });
}

Deno.test("an error of 40,000 emoji (under 64 Ki UTF-16 units, 160 KB of UTF-8) is cut", async () => {
  const { error } = await emitError("\u{1F600}".repeat(40_000).slice(0, 65_000));
  assert.ok(utf8(error) <= 64 * 1024, `${utf8(error)} bytes kept`);
});

Deno.test("an error of exactly 64 KiB of UTF-8 is kept whole; one byte more is cut", async () => {
  const exact = "é".repeat(32 * 1024); // 2 bytes each
  assert.equal((await emitError(exact)).error, exact);
  const over = exact + "x";
  const { error } = await emitError(over);
  assert.ok(error.endsWith("characters in all]") && utf8(error) <= 64 * 1024);
});

Deno.test("utf8Prefix never splits a code point of any width", () => {
  const text = "aé€\u{1F600}".repeat(3); // 1 + 2 + 3 + 4 bytes, 30 in all
  for (let max = 0; max < 30; max++) {
    const { text: kept, bytes } = utf8Prefix(text, max);
    assert.equal(utf8(kept), bytes);
    assert.ok(bytes <= max && text.startsWith(kept) && !LONE.test(kept), `max ${max}`);
    // The next code point would not have fitted.
    const next = String.fromCodePoint(text.codePointAt(kept.length)!);
    assert.ok(bytes + utf8(next) > max, `max ${max}: kept ${bytes}, next ${utf8(next)} bytes`);
  }
  assert.deepEqual(utf8Prefix(text, 30), { text, bytes: 30 });
});

Deno.test("nameProblem agrees with the two rules it is made of, on random short texts", () => {
  // Characters around every edge of both rules, and plain ones.
  const edges = [0x0, 0x1f, 0x7f, 0x80, 0x9f, 0xd800, 0xdbff, 0xdc00, 0xdfff];
  const plain = [0x20, 0x41, 0x7e, 0xa0, 0xe9, 0x4e2d, 0xd7ff, 0xe000, 0xfeff, 0x2d, 0x30];
  // A valid pair too, so "high then low" is seen often enough.
  const pool = [...edges, ...plain, ...plain];
  let seed = 42;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
  let refused = 0;
  for (let n = 0; n < 5000; n++) {
    const text = String.fromCharCode(
      ...Array.from({ length: 1 + (next() >> 8) % 4 }, () => pool[(next() >> 8) % pool.length]),
    ) + (n % 3 === 0 ? "\u{1F600}" : "");
    const expected = hasControlChars(text) || hasLoneSurrogate(text);
    assert.equal(nameProblem(text) !== null, expected, JSON.stringify(text));
    if (expected) refused++;
  }
  assert.ok(refused > 1000 && refused < 4000, `${refused} of 5000 refused`);
});
