/**
 * Worker side of {@linkcode QueryWorkers}: reads logs' facts, and logs as
 * blocks of output lines one block per request, handing each block's
 * arrays over (transferred, not copied); arrays handed back are refilled.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import type { LineProblem } from "../read/log_reader.ts";
import { BlockBuilder, logBlocks } from "./line_blocks.ts";
import { logFacts } from "./log_facts.ts";
import type { FromWorker, ToWorker } from "./query_workers.ts";

const sources = new Map<number, AsyncGenerator<BlockBuilder>>();
const names = new Map<number, Map<string, number>>();
const spare: BlockBuilder[] = [];
const fresh = () => spare.pop() ?? new BlockBuilder();
const post = (message: FromWorker, transfer: Transferable[] = []) =>
  self.postMessage(message, transfer);

self.onmessage = async ({ data }: MessageEvent<ToWorker>) => {
  try {
    if ("facts" in data) {
      const facts = await logFacts(data.path);
      post({ task: data.facts, facts }, [facts.prints.buffer]);
    } else if ("open" in data) {
      const source = data.open;
      const onProblem = (problem: LineProblem) => post({ source, problem });
      sources.set(source, logBlocks(data.path, data.filter, onProblem, fresh, data.range));
      names.set(source, new Map());
    } else if ("next" in data) {
      const step = await sources.get(data.next)!.next();
      if (step.done) {
        sources.delete(data.next);
        names.delete(data.next);
        post({ source: data.next, done: true });
        return;
      }
      const { count, bytes, starts, ends, clocks, numbers, nodes } = step.value;
      // Nodes go as numbers (line numbers are done with), each name once per log.
      const known = names.get(data.next)!;
      const fresh: string[] = [];
      for (let k = 0; k < count; k++) {
        let n = known.get(nodes[k]);
        if (n === undefined) {
          known.set(nodes[k], n = known.size);
          fresh.push(nodes[k]);
        }
        numbers[k] = n;
      }
      const block = { count, bytes, starts, ends, clocks, numbers };
      const transfer = [bytes.buffer, starts.buffer, ends.buffer, clocks.buffer, numbers.buffer];
      post({ source: data.next, block, names: fresh }, transfer);
    } else {
      spare.push(BlockBuilder.reusing(data.recycle));
    }
  } catch (error) {
    post({ failed: (error as Error).message });
  }
};

// Loaded: work is sent only now, so the main thread takes it while this one starts.
post({ ready: true });
