/**
 * `prestartScan`: the workers a scan of the files would start are started
 * ahead (none for files a scan reads on one thread), the next scan takes
 * them and reads exactly what a scan that starts its own reads, and
 * disposing ends the ones no scan took (a leaked worker fails the test's
 * sanitizers).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { parallelScan, prestartScan } from "../src/read/parallel_scan.ts";
import { defaultPricing } from "../src/cost/builtin_pricing.ts";
import type { CostPartial, CostScanInit } from "../src/cost/cost_reducer.ts";
import { encodeEvent } from "../src/event/line_codec.ts";
import { payload, tempProject } from "./helpers.ts";
import { sampleEvent } from "./store_contract.ts";

const REDUCER = new URL("../src/cost/cost_reducer.ts", import.meta.url).href;

async function logs(): Promise<string[]> {
  const dir = await tempProject();
  const paths: string[] = [];
  for (let f = 0; f < 2; f++) {
    const lines = Array.from({ length: 2000 }, (_, i) =>
      encodeEvent(sampleEvent({
        aggregate_id: `04${f}-x`,
        payload: payload({ model: ["claude-sonnet-4-5", "gpt-5-codex"][i % 2], input_tokens: i }),
      })));
    paths.push(join(dir, `f${f}.jsonl`));
    await Deno.writeTextFile(paths[f], lines.join("\n") + "\n");
  }
  return paths;
}

const init: CostScanInit = { groupBy: ["model"], pricing: defaultPricing(), filter: {} };
const scan = (paths: string[], workers: number) =>
  parallelScan<CostScanInit, CostPartial>(paths, REDUCER, init, () => {}, {
    workers,
    minBytes: 1000,
    rangeBytes: 16 * 1024,
  });
const counts = (
  p: CostPartial,
) => [p.total.event_count, p.total.input_tokens, p.ids.reduce((n, l) => n + l.length, 0)];

Deno.test("the next scan takes the prestarted workers and reads what one thread reads", async () => {
  const paths = await logs();
  const one = await scan(paths, 1);
  assert.deepEqual(counts(one), [4000, 2n * 1999n * 1000n, 4000]);
  using workers = await prestartScan(paths, REDUCER, { workers: 3, minBytes: 1000 });
  assert.equal(workers.started, 2);
  assert.equal(workers.waiting, 2);
  const many = await scan(paths, 3);
  assert.equal(workers.waiting, 0);
  assert.deepEqual(counts(many), counts(one));
  assert.deepEqual(
    many.groups.map((g) => [g.key.model, g.totals.event_count]).sort(),
    [["claude-sonnet-4-5", 2000], ["gpt-5-codex", 2000]],
  );
});

Deno.test("files a scan reads on one thread start no worker; disposing ends the ones not taken", async () => {
  const paths = await logs();
  {
    using small = await prestartScan(paths, REDUCER, { workers: 3 });
    assert.equal(small.started, 0);
  }
  {
    using unused = await prestartScan(paths, REDUCER, { workers: 2, minBytes: 1000 });
    assert.equal(unused.started, 1);
    assert.equal(unused.waiting, 1);
  }
  // A scan after them starts (and ends) its own.
  assert.deepEqual(counts(await scan(paths, 2)), counts(await scan(paths, 1)));
});

Deno.test("a process whose prestarted workers no scan took still ends (disposed)", async () => {
  const dir = await tempProject();
  const script = join(dir, "prestart.ts");
  const module = new URL("../src/read/parallel_scan.ts", import.meta.url).href;
  await Deno.writeTextFile(
    script,
    `import { prestartScan } from ${JSON.stringify(module)};
{
  using workers = await prestartScan([${JSON.stringify(script)}], ${JSON.stringify(REDUCER)}, {
    workers: 2,
    minBytes: 0,
  });
  console.log(workers.started);
}
`,
  );
  // An idle worker left running keeps the process alive: killed after 20 s.
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", "--no-lock", script],
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(20_000),
  }).output();
  assert.equal(new TextDecoder().decode(out.stdout), "1\n", new TextDecoder().decode(out.stderr));
  assert.equal(out.code, 0, "the process did not end by itself");
});
