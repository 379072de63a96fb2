/**
 * Token totals past 2**53 in every output of `cost` (JSON, CSV, table,
 * markdown; each group-by, the breakdown, the compact Cache column, the
 * tokens sort) and of `report`: each held to BigInt sums of the events
 * written. A double holds 2**53 + 1 as 2**53, so float sums are off here.
 */
import assert from "node:assert/strict";
import { encodeEvent } from "../src/event/line_codec.ts";
import type { Event } from "../src/event/envelope.ts";
import { cli } from "./helpers.ts";
import { ev, project } from "./breaker2_helpers.ts";

const MAX = Number.MAX_SAFE_INTEGER;
const TOKENS = ["input_tokens", "output_tokens", "cache_read_tokens", "cache_write_tokens"];
const HEADERS = ["Input Tokens", "Output Tokens", "Cache Read", "Cache Write"];
type Sums = bigint[];

/** 24 events, every count near 2**53: reported, estimated and unpriced, two agents, days, features. */
function events(): Event[] {
  return Array.from({ length: 24 }, (_, n) => {
    const i = n + 1;
    return ev(i, {
      aggregate_id: i % 4 === 0 ? "044-y" : "043-x",
      timestamp: `2026-02-1${6 + (i % 3)}T09:12:58.036Z`,
    }, {
      agent: i % 2 ? "a" : "b",
      model: ["claude-opus-4-6", "unknown-model", null][i % 3],
      cost_usd: i % 5 === 0 ? 1.5 : null,
      input_tokens: MAX - i,
      output_tokens: 2 ** 52 + i,
      cache_read_tokens: i % 7 === 0 ? null : MAX,
      cache_write_tokens: 3 * i,
    });
  });
}

const name = (e: Event, key: string) =>
  String((e.payload as unknown as Record<string, string | null>)[key] ?? "(none)");
const KEYS: Record<string, (e: Event) => string> = {
  agent: (e) => name(e, "agent"),
  model: (e) => name(e, "model"),
  day: (e) => e.timestamp.slice(0, 10),
  feature: (e) => e.aggregate_id,
};

/** The reference: BigInt sums per group (keys joined with `/`, as `group_key`) and the total. */
function reference(by: string[]): Map<string, Sums> {
  const sums = new Map<string, Sums>();
  for (const e of events()) {
    for (const id of [by.map((k) => KEYS[k](e)).join("/"), "TOTAL"]) {
      const row = sums.get(id) ?? [0n, 0n, 0n, 0n];
      const p = e.payload as unknown as Record<string, number | null>;
      TOKENS.forEach((key, i) => row[i] += BigInt(p[key] ?? 0));
      sums.set(id, row);
    }
  }
  return sums;
}

async function root(): Promise<string> {
  const byFeature: Record<string, string> = {};
  for (const e of events()) {
    byFeature[e.aggregate_id] = (byFeature[e.aggregate_id] ?? "") + encodeEvent(e) + "\n";
  }
  return await project(byFeature);
}

/** JSON.parse keeping every integer past 2**53 exact (as a BigInt), from its source text. */
function parseExact(text: string) {
  const reviver = (_: string, value: unknown, context: { source?: string }) =>
    typeof value === "number" && !Number.isSafeInteger(value) && Number.isInteger(value)
      ? BigInt(context.source!)
      : value;
  return JSON.parse(text, reviver as never);
}

/** The rows of a CSV, table or markdown output: row id (keys joined by `/`) to cells by header. */
function rowsOf(format: string, text: string, keys: number): Map<string, Record<string, string>> {
  // Rules, blank lines and the markdown's caption are no rows.
  const lines = text.trimEnd().split(/\r?\n/).filter((l) => !/^[-| :]*$|^_/.test(l));
  const split = (line: string) =>
    format === "csv"
      ? line.split(",")
      : format === "markdown"
      ? line.slice(2, -2).split(" | ").map((c) => c.replaceAll("**", ""))
      : line.split(/ {2,}/);
  const [header, ...rest] = lines.map(split);
  const rows = new Map<string, Record<string, string>>();
  for (const cells of rest) {
    // The table's TOTAL row leaves its other key cells blank: spaces the split took.
    if (cells[0] === "TOTAL") cells.splice(1, 0, ...Array(header.length - cells.length).fill(""));
    const id = cells[0] === "TOTAL" ? "TOTAL" : cells.slice(0, keys).join("/");
    rows.set(id, Object.fromEntries(header.map((h, i) => [h, cells[i].replaceAll(",", "")])));
  }
  return rows;
}

for (const by of [["agent"], ["model"], ["day"], ["feature"], ["agent", "model"]]) {
  Deno.test(`cost --group-by ${by} prints exact token sums past 2**53 in every format`, async () => {
    const dir = await root();
    const want = reference(by);
    const args = ["cost", "--root", dir, "--group-by", by.join(",")];
    const json = await cli([...args, "--json"]);
    assert.equal(json.code, 0, json.stderr);
    const view = parseExact(json.stdout);
    const got = new Map<string, Sums>();
    for (const g of [...view.groups, { ...view.total, group_key: "TOTAL" }]) {
      got.set(g.group_key, TOKENS.map((k) => BigInt(g[`total_${k}`])));
    }
    assert.deepEqual(got, want);
    // Past 2**53 the JSON holds the integer itself (no string, no rounding).
    assert.match(json.stdout, new RegExp(`"total_input_tokens":${want.get("TOTAL")![0]},`));
    for (const format of ["csv", "table", "markdown"]) {
      const run = await cli([
        ...args,
        "--format",
        format,
        ...(format === "csv" ? ["--totals"] : []),
      ]);
      assert.equal(run.code, 0, run.stderr);
      const rows = rowsOf(format, run.stdout, by.length);
      const ids = format === "csv" ? ["TOTAL"] : [...want.keys()];
      assert.equal(rows.size, ids.length, `${format}: ${run.stdout}`);
      for (const id of ids) {
        const cells = rows.get(id);
        assert.ok(cells, `${format}: no row ${id}`);
        assert.deepEqual(
          HEADERS.map((h) => cells[h]),
          want.get(id)!.map(String),
          `${format} ${id}`,
        );
      }
    }
    const csv = await cli([...args, "--format", "csv"]);
    const rows = rowsOf("csv", csv.stdout, by.length);
    assert.deepEqual(
      new Map([...rows].map(([id, cells]) => [id, HEADERS.map((h) => BigInt(cells[h]))])),
      new Map([...want].filter(([id]) => id !== "TOTAL")),
    );
  });
}

Deno.test("cost --breakdown: each group's rows per model are exact past 2**53", async () => {
  const run = await cli([
    "cost",
    "--root",
    await root(),
    "--group-by",
    "agent",
    "--breakdown",
    "--json",
  ]);
  assert.equal(run.code, 0, run.stderr);
  const want = reference(["agent", "model"]);
  const got = new Map<string, Sums>();
  for (const g of parseExact(run.stdout).groups) {
    for (const b of g.breakdown) {
      got.set(`${g.group_key}/${b.group_key}`, TOKENS.map((k) => BigInt(b[`total_${k}`])));
    }
  }
  want.delete("TOTAL");
  assert.deepEqual(got, want);
});

Deno.test("the compact table's Cache column adds read and write exactly", async () => {
  const run = await cli(["cost", "--root", await root(), "--group-by", "agent", "--compact"]);
  assert.equal(run.code, 0, run.stderr);
  const rows = rowsOf("table", run.stdout, 1);
  for (const [id, sums] of reference(["agent"])) {
    assert.equal(rows.get(id)?.Cache, String(sums[2] + sums[3]), id);
    assert.equal(rows.get(id)?.Input, String(sums[0]), id);
  }
});

Deno.test("--sort tokens orders sums that a double cannot tell apart", async () => {
  // Agent b: 2**53 + 1 tokens; agent a: 2**53 (as doubles both 2**53: a tie, then a first by key).
  const lines = [
    ev(1, {}, { agent: "a", input_tokens: MAX, output_tokens: 1 }),
    ev(2, {}, { agent: "b", input_tokens: MAX, output_tokens: 2 }),
  ].map((e) => encodeEvent(e));
  const dir = await project({ "043-x": lines.join("\n") + "\n" });
  const run = await cli([
    "cost",
    "--root",
    dir,
    "--group-by",
    "agent",
    "--sort",
    "tokens",
    "--json",
  ]);
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(parseExact(run.stdout).groups.map((g: { group_key: string }) => g.group_key), [
    "b",
    "a",
  ]);
});

Deno.test("report: the totals, the feature table's and the top runs' tokens are exact past 2**53", async () => {
  const run = await cli(["report", "--out", "-", "--root", await root()]);
  assert.equal(run.code, 0, run.stderr);
  const want = reference(["feature"]);
  TOKENS.forEach((key, i) => {
    assert.match(
      run.stdout,
      new RegExp(`data-total="total_${key}" data-value="${want.get("TOTAL")![i]}"`),
    );
  });
  const people = (n: bigint) => n.toLocaleString("en-US");
  for (const feature of ["043-x", "044-y"]) {
    const all = people(want.get(feature)!.reduce((x, y) => x + y));
    const row = new RegExp(
      `<tr><td>${feature}</td>(?:(?!</tr>).)*<td data-sort="[^"]*">${all}</td></tr>`,
    );
    assert.match(run.stdout, row, feature);
  }
  // Each run's four counts added: one event alone passes 2**53.
  const perRun = new Set(
    events().map((e) => {
      const p = e.payload as unknown as Record<string, number | null>;
      return people(TOKENS.reduce((sum, key) => sum + BigInt(p[key] ?? 0), 0n));
    }),
  );
  const top = run.stdout.slice(run.stdout.indexOf('data-table="top"'));
  const cells = [
    ...top.slice(0, top.indexOf("</table>")).matchAll(
      /<td class="text">\d{4}-\d\d-\d\d \d\d:\d\d<\/td>/g,
    ),
  ];
  const tokens = [
    ...top.slice(0, top.indexOf("</table>")).matchAll(
      /<td data-sort="[^"]*">([\d,]+)<\/td><td data-sort="\d+">\d+ ms<\/td>/g,
    ),
  ].map((m) => m[1]);
  assert.equal(tokens.length, cells.length);
  assert.equal(tokens.length, 20);
  for (const text of tokens) assert.ok(perRun.has(text), text);
});
