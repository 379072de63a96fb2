/**
 * Which feature's log each imported line goes to. An event's feature is its
 * `aggregate_id`, never the file or folder it came in: filing it elsewhere
 * would hide it from every `--feature` filter. Pure: no I/O.
 *
 * @module
 */
import { decodeUnlessJunk } from "../store/line_kind.ts";
import type { LogInput } from "./parsed_log.ts";

/** An event that names another feature than the one asked for. */
export interface ForeignLine {
  /** 1-based line in its input. */
  lineNumber: number;
  /** Its `event_id`, as written. */
  eventId: string;
  /** Its feature. */
  aggregateId: string;
}

/** Where an input's lines go. */
export interface Routing {
  /** Per feature, the input with every line of other features blanked (line numbers kept). */
  routes: Array<[feature: string, input: LogInput]>;
  /** Set when an event belongs elsewhere and routing was not asked for: nothing is routed. */
  foreign?: ForeignLine;
}

/**
 * Routes `input` to features. With a `target` and `route` false, every event
 * must belong to `target` (the first that does not is returned as
 * `foreign`); otherwise each event goes to its own `aggregate_id`, and a line
 * that is not an event goes to every feature of the input (it may belong to
 * any, so each import must stop on it), or to `target` when there is no
 * event at all.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { routeLines } from "./route_lines.ts";
 * const line = (f: string) =>
 *   `{"event_id":"01KHJVJWDM0HGAGYGXJYKD1JQG","event_type":"Note","aggregate_id":"${f}",` +
 *   `"lamport_clock":1,"node_id":"n","causation_id":null,"timestamp":"2026-02-16T09:12:58Z","payload":{}}`;
 * const input = { label: "in.jsonl", text: `${line("043-f")}\n` };
 * assert.equal(routeLines(input, "050-g", false).foreign?.aggregateId, "043-f");
 * assert.deepEqual(routeLines(input, "050-g", true).routes.map(([f]) => f), ["043-f"]);
 * ```
 */
export function routeLines(input: LogInput, target: string | undefined, route: boolean): Routing {
  // First the features alone, keeping nothing per line: a source of one
  // feature (the common case, and any log of junk) is routed as it is.
  const features = new Set<string>();
  const text = input.text;
  for (let from = 0, number = 1; from <= text.length; number++) {
    const nl = text.indexOf("\n", from);
    const end = nl === -1 ? text.length : nl;
    const owner = ownerOf(text.slice(from, end));
    from = end + 1;
    if (owner === undefined) continue;
    if (target !== undefined && !route && owner.aggregate_id !== target) {
      return {
        routes: [],
        foreign: { lineNumber: number, eventId: owner.event_id, aggregateId: owner.aggregate_id },
      };
    }
    features.add(owner.aggregate_id);
  }
  if (features.size === 0) return { routes: target === undefined ? [] : [[target, input]] };
  if (features.size === 1) return { routes: [[[...features][0], input]] };
  const lines = text.split("\n");
  // Per line, its feature; null: blank; undefined: not an event.
  const owners = lines.map((line) => line.trim() === "" ? null : ownerOf(line)?.aggregate_id);
  return {
    routes: [...features].map((name) => [name, {
      label: input.label,
      text: lines.map((line, i) => owners[i] === name || owners[i] === undefined ? line : "")
        .join("\n"),
    }]),
  };
}

/** The event on a line, if it is one (blank lines and junk: undefined). */
function ownerOf(line: string): { aggregate_id: string; event_id: string } | undefined {
  if (line.trim() === "") return undefined;
  // Only whether a line is an event matters here: junk is told without a reason.
  const decoded = decodeUnlessJunk(line);
  return decoded?.ok ? decoded.event : undefined;
}
