/**
 * `emit` values at their edges, by flag and by stdin: counts at 0, 2^53 - 1
 * and 2^53, costs at and past 1e12 and with more digits than a double keeps.
 * A refused value says the bound it broke (a flag once said `>= 0` for
 * 2^53, and zod's `Too big: expected number to be <=1000000000000` for a
 * cost), writes nothing, and what is written is what `cost` sums.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cli, readOrNull, tempProject } from "./helpers.ts";

const NOW = new Date("2026-03-02T10:00:00.000Z");
const BASE = ["--feature", "043-x", "--agent", "a", "--role", "r"];

async function emit(root: string, args: string[], stdin?: string) {
  return await cli(["emit", "--root", root, ...BASE, ...args], { now: NOW, stdin });
}

const logOf = (root: string) =>
  readOrNull(join(root, "kitty-specs", "043-x", "execution.events.jsonl"));

Deno.test("a flag past a field's bound names the bound and writes nothing", async () => {
  const root = await tempProject();
  for (
    const [args, message] of [
      [
        ["--input-tokens", "9007199254740992"],
        /--input-tokens: expected an integer <= 9007199254740991, got "9007199254740992"/,
      ],
      [
        ["--duration-ms", "99999999999999999999"],
        /--duration-ms: expected an integer <= 9007199254740991/,
      ],
      [["--cost-usd", "2e12"], /--cost-usd: expected a number <= 1000000000000, got "2e12"/],
      [["--exit-code", "2147483648"], /--exit-code: expected an integer <= 2147483647/],
      [["--exit-code=-2147483649"], /--exit-code: expected an integer >= -2147483648/],
      [["--input-tokens", "1e3"], /--input-tokens: expected an integer >= 0, got "1e3"/],
      [["--cost-usd", "1e400"], /--cost-usd: expected a number <= 1000000000000, got "1e400"/],
    ] as const
  ) {
    const run = await emit(root, [...args]);
    assert.equal(run.code, 2, `${args}: ${run.stderr}`);
    assert.match(run.stderr, message);
    assert.equal(run.stdout, "");
  }
  assert.equal(await logOf(root), null);
});

Deno.test("the largest values a field takes are stored exactly and summed exactly by cost", async () => {
  const root = await tempProject();
  const top = "9007199254740991";
  for (
    const args of [
      ["--input-tokens", top, "--cost-usd", "1e8"],
      ["--input-tokens", "0", "--output-tokens", top, "--cost-usd", "0.1234567890123456789"],
      ["--exit-code=-2147483648", "--failure", "--cost-usd", "0"],
    ]
  ) {
    const run = await emit(root, args);
    assert.equal(run.code, 0, `${args}: ${run.stderr}`);
  }
  const payloads = (await logOf(root))!.trimEnd().split("\n").map((l) => JSON.parse(l).payload);
  assert.deepEqual(
    payloads.map((p) => [p.input_tokens, p.output_tokens, p.cost_usd, p.exit_code]),
    [
      [Number(top), null, 1e8, 0],
      [0, Number(top), 0.12345678901234568, 0],
      [null, null, 0, -2147483648],
    ],
  );
  const cost = await cli(["cost", "--root", root, "--json"], { now: NOW });
  assert.equal(cost.code, 0, cost.stderr);
  // Exact sums, rounded once: 1e8 + 0.12345678901234568 to 6 decimals.
  assert.match(cost.stdout, /"total":{[^}]*"total_cost_usd":100000000\.123457,/);
  assert.match(cost.stdout, /"total":{"total_input_tokens":9007199254740991,/);
  assert.match(cost.stdout, /"total":{[^}]*"event_count":3,/);
});

Deno.test("stdin: a count as a string of digits, or past 2^53 - 1, rejects the whole batch", async () => {
  const root = await tempProject();
  for (
    const [line, message] of [
      ['{"input_tokens":"12"}', /stdin line 2: input_tokens: .*expected number, received string/],
      [
        '{"input_tokens":9007199254740992}',
        /stdin line 2: input_tokens: Too big: .*9007199254740991/,
      ],
      ['{"cost_usd":"0.5"}', /stdin line 2: cost_usd: .*expected number, received string/],
      ['{"input_tokens":-1}', /stdin line 2: input_tokens: Too small/],
    ] as const
  ) {
    const run = await emit(root, ["--stdin"], `{"input_tokens":1}\n${line}\n`);
    assert.equal(run.code, 2, `${line}: ${run.stderr}`);
    assert.match(run.stderr, message);
  }
  assert.equal(await logOf(root), null, "one bad line writes none of the batch");
});
