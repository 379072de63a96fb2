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
  const lines = input.text.split("\n");
  // Per line, its feature; null: blank; undefined: not an event.
  const owner: Array<string | null | undefined> = [];
  for (const [i, line] of lines.entries()) {
    if (line.trim() === "") {
      owner.push(null);
      continue;
    }
    // Only whether a line is an event matters here: junk is told without a reason.
    const decoded = decodeUnlessJunk(line);
    if (!decoded?.ok) {
      owner.push(undefined);
      continue;
    }
    const { aggregate_id, event_id } = decoded.event;
    if (target !== undefined && !route && aggregate_id !== target) {
      return {
        routes: [],
        foreign: { lineNumber: i + 1, eventId: event_id, aggregateId: aggregate_id },
      };
    }
    owner.push(aggregate_id);
  }
  const features = [...new Set(owner.filter((f): f is string => typeof f === "string"))];
  if (features.length === 0) return { routes: target === undefined ? [] : [[target, input]] };
  return {
    routes: features.map((name) => [name, {
      label: input.label,
      text: lines.map((line, i) => owner[i] === name || owner[i] === undefined ? line : "")
        .join("\n"),
    }]),
  };
}
