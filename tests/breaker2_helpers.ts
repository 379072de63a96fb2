/**
 * Shared by the breaker2 tests: adversarial execution lines (numbers at
 * the edges, escapes, duplicate keys, whitespace, both layouts) and the
 * reference every fast path is held to: each line through `JSON.parse` and
 * the schemas (`decodeLine`), sorted, each id once.
 */
import { join } from "node:path";
import { pythonLine } from "../bench/generate.ts";
import { decodeLine, encodeEvent } from "../src/event/line_codec.ts";
import { compareEvents } from "../src/event/order.ts";
import { firstOfEachId } from "../src/event/first_of_each_id.ts";
import type { Event } from "../src/event/envelope.ts";
import { payload, tempProject } from "./helpers.ts";

/** Event `i` (its id and clock from `i`), Opus, unpriced by default. */
export function ev(
  i: number,
  over: Partial<Event> = {},
  pover: Record<string, unknown> = {},
): Event {
  return {
    event_id: "01KHJVJWDM0HGAGYGXJY" + String(i).padStart(6, "0"),
    event_type: "ExecutionEvent",
    aggregate_id: "043-x",
    lamport_clock: i,
    node_id: "n1",
    causation_id: null,
    timestamp: "2026-02-16T09:12:58.036Z",
    payload: payload({
      model: "claude-opus-4-6",
      cost_usd: null,
      cache_write_1h_tokens: null,
      ...pover,
    }),
    ...over,
  } as Event;
}

/** A project with these logs (feature -> text). */
export async function project(logs: Record<string, string>): Promise<string> {
  const root = await tempProject();
  for (const [feature, text] of Object.entries(logs)) {
    await Deno.mkdir(join(root, "kitty-specs", feature), { recursive: true });
    await Deno.writeTextFile(join(root, "kitty-specs", feature, "execution.events.jsonl"), text);
  }
  return root;
}

/** The reference: every line JSON.parse + the schemas accept, in total order, each id once. */
export function referenceEvents(logs: Record<string, string>): Event[] {
  const all: Event[] = [];
  for (const feature of Object.keys(logs).sort()) {
    for (const line of logs[feature].split("\n")) {
      if (line.trim() === "") continue;
      const r = decodeLine(line);
      if (r.ok) all.push(r.event);
    }
  }
  return all.sort(compareEvents).filter(firstOfEachId());
}

/** Sets of adversarial lines, by name, in both layouts. */
export function adversarialCases(): Record<string, string[]> {
  const cases: Record<string, string[]> = {};
  const layouts = [["canon", encodeEvent], ["py", pythonLine]] as const;
  for (const [lay, enc] of layouts) {
    const put = (e: Event, mark: string, values: string[]) =>
      values.map((v) => enc(e).replace(mark, v));
    const costs = [
      "0.1",
      "0.30000000000000004",
      "1e-7",
      "1E2",
      "-0",
      "15.600",
      "1.5e0",
      "0.1000000000000000055511151231257827",
      "0.00000000000000001",
      "123456.78901234567",
      "1e12",
    ];
    cases[`${lay}-cost`] = costs.map((c, i) =>
      enc(ev(i + 1, {}, { cost_usd: 0.123456 })).replace("0.123456", c)
    );
    const tokens = ["0", "-0", "1e3", "1.0", "9007199254740992", "9007199254740993", "007", "1E0"];
    cases[`${lay}-tokens`] = tokens.map((t, i) =>
      enc(ev(i + 1, {}, { input_tokens: 424242 })).replace("424242", t)
    );
    const names = [
      "\\u0063laude",
      "cl\\/aude",
      "claud\\u00e9",
      "\\ud83d\\ude00",
      "\\ud83d",
      "a\\u0000b",
      "a\\tb",
      "claude\\\\",
    ];
    cases[`${lay}-agents`] = names.map((n, i) =>
      enc(ev(i + 1, {}, { agent: "AGENTX" })).replace("AGENTX", n)
    );
    cases[`${lay}-nodes`] = names.map((n, i) =>
      enc(ev(i + 1, { node_id: "NODEX" })).replace("NODEX", n)
    );
    cases[`${lay}-clocks`] = ["0", "-0", "1.0", "1e1", "2147483648", "9007199254740991"].map((
      c,
      i,
    ) => enc(ev(i + 1, { lamport_clock: 777 })).replace("777", c));
    cases[`${lay}-exit`] = ["-0", "2147483647", "-2147483648", "2147483648", "1.0"].map((c, i) =>
      enc(ev(i + 1, {}, { exit_code: 777 })).replace("777", c)
    );
    const sep = lay === "py" ? ", " : ",";
    const col = lay === "py" ? ": " : ":";
    // Duplicate keys: JSON.parse takes the last.
    cases[`${lay}-duplicate-keys`] = [
      enc(ev(1)).replace(/}$/, `${sep}"lamport_clock"${col}0}`),
      enc(ev(2)).replace(/}$/, `${sep}"event_id"${col}"01KHJVJWDM0HGAGYGXJY000001"}`),
      enc(ev(3)).replace(/}$/, `${sep}"aggregate_id"${col}"other"}`),
      enc(ev(4)).replace(/}$/, `${sep}"node_id"${col}"zz"}`),
      enc(ev(5)).replace(/}$/, `${sep}"timestamp"${col}"2020-01-01T00:00:00Z"}`),
      enc(ev(6, {}, { input_tokens: 424242 })).replace(
        /424242/,
        `424242${sep}"input_tokens"${col}9`,
      ),
      ...put(ev(7), `"agent"${col}"claude"`, [`"agent"${col}"x"${sep}"agent"${col}"claude"`]),
    ];
    cases[`${lay}-whitespace`] = [
      " " + enc(ev(1)),
      enc(ev(2)) + " ",
      enc(ev(3)) + "\t",
      enc(ev(4)).replaceAll(",", " ,"),
      enc(ev(5)).replaceAll('":', '" :'),
    ];
    // Keys repeated so that the event moves in the total order (JSON.parse takes the last).
    cases[`${lay}-order-keys`] = [
      enc(ev(1, { lamport_clock: 5 })),
      enc(ev(2, { lamport_clock: 6 })).replace(/}$/, `${sep}"lamport_clock"${col}1}`),
      enc(ev(3, { lamport_clock: 10 })),
      enc(ev(4, { lamport_clock: 11, node_id: "b" })).replace(/}$/, `${sep}"node_id"${col}"a"}`),
      enc(ev(5, { lamport_clock: 11, node_id: "a" })),
      enc(ev(6, { lamport_clock: 12 })).replace(
        /}$/,
        `${sep}"event_id"${col}"01KHJVJWDM0HGAGYGXJY000000"}`,
      ),
      enc(ev(7, { lamport_clock: 12 })),
    ];
    // Failures: the message goes into the span's status (escaped by the byte writer).
    const errors = [
      "back\\\\slash",
      'q\\"uote',
      "tab\\t",
      "\\u001f",
      "\\u0000",
      "caf\\u00e9",
      "a\\/b",
      "\\ud800",
      "\\u2028",
      "\\u007f",
      "plain",
    ];
    cases[`${lay}-errors`] = errors.map((text, i) =>
      enc(ev(i + 1, {}, { success: false, exit_code: 1, error: "ERRX" })).replace("ERRX", text)
    );
    // One clock, nodes whose UTF-8 byte order is not their UTF-16 order (the total order's).
    cases[`${lay}-nodes-one-clock`] = ["b", "a", "\u00e9", "\u{1f600}", "\uffff", "z", "a"].map((
      node_id,
      i,
    ) => enc(ev(i + 1, { lamport_clock: 1, node_id })));
    // The same uuid in three spellings, and a 26-character id that is no ULID.
    const uuid = "123e4567-e89b-12d3-a456-426614174000";
    const odd = "01KHJVJWDM0HGAGYGXJYKD1JQU";
    cases[`${lay}-id-spellings`] = [
      enc(ev(1, { lamport_clock: 5, event_id: uuid.replaceAll("-", "") })),
      enc(ev(2, { lamport_clock: 1, event_id: uuid.toUpperCase() })),
      enc(ev(3, { lamport_clock: 3, event_id: odd })),
      enc(ev(4, { lamport_clock: 2, event_id: odd.toLowerCase() })),
      enc(ev(5, { lamport_clock: 4, event_id: "01khjvjwdm0hgagygxjy000001" })),
      enc(ev(6, { lamport_clock: 4 })).replace("000006", "000001"),
    ];
    const times = [
      "2026-02-16T09:12:58Z",
      "2026-02-16t09:12:58z",
      "2026-02-16 09:12:58Z",
      "2026-02-16T09:12:58.123456789Z",
      "2026-02-16T09:12:58+14:00",
      "2026-02-16T09:12:58.036834",
      "2024-02-29T23:59:60Z",
    ];
    cases[`${lay}-times`] = times.map((t, i) =>
      enc(ev(i + 1, { timestamp: "TIMEX" })).replace("TIMEX", t)
    );
  }
  return cases;
}
