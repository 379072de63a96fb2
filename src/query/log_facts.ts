/**
 * What `query` learns of each log before it writes a line: whether its
 * events stand in clock order (so it can be merged as a stream) and the
 * prints of its ids (so each id is written once without a set of them
 * all; see `id_prints.ts`). One reading per log (on workers: see
 * `query_workers.ts`).
 *
 * @module
 */
import { logInOrder } from "../read/log_order.ts";
import { IdPrints } from "./id_prints.ts";

/** One log's facts. */
export interface LogFacts {
  /** Every event is in `(lamport_clock, node_id, event_id)` order. */
  inOrder: boolean;
  /** The prints of its 26-character ids. */
  prints: Float64Array<ArrayBuffer>;
  /** A line may be an event whose id could not be read: prints cannot vouch for ids. */
  unsure: boolean;
  /** How many ids are not of 26 characters (they have no print). */
  others: number;
  /**
   * The log's size before it was read: the facts hold for its first `size`
   * bytes (and maybe more); lines appended meanwhile are left to the next query.
   */
  size: number;
}

/**
 * Reads one log's facts (a missing log: in order, no ids).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { logFacts } from "./log_facts.ts";
 * const path = await Deno.makeTempFile();
 * const line = (clock: number, id: string) =>
 *   `{"event_id":"${id}","event_type":"Note","aggregate_id":"f","lamport_clock":${clock},"node_id":"n"}\n`;
 * await Deno.writeTextFile(path, line(2, "01KHJVJWDM0HGAGYGXJYKD1JQG") + line(1, "01KHJVJWDM0HGAGYGXJYKD1JQH"));
 * const facts = await logFacts(path);
 * assert.deepEqual([facts.inOrder, facts.prints.length, facts.unsure], [false, 2, false]);
 * assert.equal(facts.size, (await Deno.stat(path)).size);
 * ```
 */
export async function logFacts(path: string): Promise<LogFacts> {
  const size = await Deno.lstat(path).then((s) => s.size, () => 0);
  const prints = new IdPrints();
  const inOrder = await logInOrder(path, { ids: prints });
  return { inOrder, prints: prints.list(), unsure: prints.unsure, others: prints.others, size };
}
