/**
 * A sink that skips lines of other event types has them joined to the
 * kernel's runs (`WasmReader.skipOthers`): one call for a run of folded and
 * skipped lines. The line numbers of the lines that are no events, the
 * events handed on and the sums must be what they are line by line, with a
 * fold and without, and lines of other types must still reach a sink that
 * wants them.
 */
import assert from "node:assert/strict";
import { type EventSink, readLog } from "../src/read/event_sink.ts";
import { encodeEvent } from "../src/event/line_codec.ts";
import { kernelFold } from "../src/cost/kernel_fold.ts";
import { CostAggregator } from "../src/cost/aggregate.ts";
import { HashList } from "../src/cost/id_hash.ts";
import { defaultPricing } from "../src/cost/builtin_pricing.ts";
import { prng } from "../bench/generate.ts";
import { payload } from "./helpers.ts";
import { sampleEvent } from "./store_contract.ts";

/** A random log: execution events, other types, and (fewer than the warnings shown) no events. */
function randomLog(rand: () => number, n: number) {
  const lines: string[] = [];
  const junkAt = new Set(Array.from({ length: 15 }, () => Math.floor(rand() * n)));
  const junk: number[] = [];
  let executions = 0;
  let others = 0;
  for (let i = 0; i < n; i++) {
    if (junkAt.has(i)) {
      lines.push(rand() < 0.5 ? "not json" : '{"event_id":1}');
      junk.push(i + 1);
    } else if (rand() < 0.7) {
      lines.push(encodeEvent(sampleEvent({ payload: payload({ input_tokens: 3 }) })));
      executions++;
    } else {
      lines.push(encodeEvent(sampleEvent({ event_type: "PhaseCompleted", payload: { p: 1 } })));
      others++;
    }
  }
  return { text: lines.join("\n") + "\n", junk, executions, others, n };
}

Deno.test("runs of folded and skipped lines keep every line's number, every event and the sums", async () => {
  const rand = prng(23);
  const dir = await Deno.makeTempDir();
  for (let round = 0; round < 12; round++) {
    const log = randomLog(rand, 200 + Math.floor(rand() * 5000));
    const path = `${dir}/execution.events.jsonl`;
    await Deno.writeTextFile(path, log.text);
    for (const mode of ["fold", "views", "others"] as const) {
      const pricing = defaultPricing();
      const aggregator = new CostAggregator(["model"], pricing);
      const hashes = new HashList();
      const fold = mode === "fold"
        ? kernelFold({ groupBy: ["model"], pricing, filter: {} }, aggregator, hashes)
        : undefined;
      let views = 0;
      let decoded = 0;
      const sink: EventSink = {
        otherTypes: mode === "others",
        execution: () => (views++, true),
        events: (list) => (decoded += list.length),
        fold,
      };
      const problems: number[] = [];
      const read = await readLog(path, sink, (p) => problems.push(p.line));
      const why = `round ${round}, ${mode}`;
      assert.equal(read, log.n, why);
      assert.deepEqual(problems, log.junk, why);
      if (mode === "fold") {
        // The kernel folds all but the lines that asked about a name (handed on as views).
        const folded = hashes.values().reduce((n, list) => n + list.length, 0);
        assert.ok(views < 5 && folded + views === log.executions, `${why}: ${views} ${folded}`);
        assert.equal(aggregator.total.input_tokens, BigInt(3 * folded), why);
      } else assert.equal(views, log.executions, why);
      assert.equal(decoded, mode === "others" ? log.others : 0, why);
    }
  }
  await Deno.remove(dir, { recursive: true });
});
