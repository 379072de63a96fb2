import { createReducer } from "../src/cost/cost_reducer.ts";
import { readLog } from "../src/read/event_sink.ts";
import { defaultPricing } from "../src/cost/builtin_pricing.ts";
import { createReducer as baseCreate } from "/tmp/names-base/src/cost/cost_reducer.ts";
import { readLog as baseRead } from "/tmp/names-base/src/read/event_sink.ts";
import { defaultPricing as basePricing } from "/tmp/names-base/src/cost/builtin_pricing.ts";
const path = "/work/main/bench/data/1000000/kitty-specs/041-feature-1/execution.events.jsonl";
const filters: Record<string, object> = { agent: { agents: ["codex"] }, three: { agents: ["codex"], roles: ["reviewer"], wps: ["WP01"] }, model: { models: ["claude-sonnet-4-5"] } };
const best: Record<string, number> = {};
for (let round = 0; round < 5; round++) {
  for (const [name, filter] of Object.entries(filters)) {
    for (const which of ["new", "base"]) {
      const t = performance.now();
      if (which === "new") {
        const r = createReducer({ groupBy: ["agent"], pricing: defaultPricing(), filter } as never);
        await readLog(path, r, () => {});
      } else {
        const r = baseCreate({ groupBy: ["agent"], pricing: basePricing(), filter } as never);
        await baseRead(path, r, () => {});
      }
      const ms = performance.now() - t;
      best[`${name} ${which}`] = Math.min(best[`${name} ${which}`] ?? Infinity, ms);
    }
  }
}
console.log(best);
