import assert from "node:assert/strict";
import {
  type EventFilter,
  featureMatches,
  matches,
  parseSuccess,
  parseTimeBound,
} from "../src/query/filter.ts";
import { InvalidInputError } from "../src/errors.ts";
import type { Event } from "../src/event/envelope.ts";
import { payload } from "./helpers.ts";

const NOW = Date.UTC(2026, 2, 2, 10, 0, 0, 0); // 2026-03-02T10:00:00.000Z
const FORMS = "expected YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS][Z|±HH:MM] (naive = UTC), or a " +
  "relative time like 30m, 24h, 7d, 2w";

function event(overrides: Partial<Event> & { payload?: Record<string, unknown> } = {}): Event {
  return {
    event_id: "01KHJVJWDM0HGAGYGXJYKD1JQG",
    event_type: "ExecutionEvent",
    aggregate_id: "043-telemetry-foundation",
    lamport_clock: 1,
    node_id: "n1",
    causation_id: null,
    timestamp: "2026-03-01T12:00:00.000Z",
    payload: payload(),
    ...overrides,
  };
}

// ---------------------------------------------------------------- parseTimeBound

Deno.test("parseTimeBound reads a date as the start of that UTC day for --since", () => {
  assert.equal(parseTimeBound("--since", "2026-03-01", NOW), Date.UTC(2026, 2, 1));
  assert.equal(parseTimeBound("--since", "2024-02-29", NOW), Date.UTC(2024, 1, 29));
});

Deno.test("parseTimeBound with endOfDay makes a date mean its last microsecond", () => {
  assert.equal(
    parseTimeBound("--until", "2026-03-01", NOW, true),
    Date.UTC(2026, 2, 1, 23, 59, 59, 999) + 0.999,
  );
  assert.equal(
    parseTimeBound("--until", "2026-12-31", NOW, true),
    Date.UTC(2027, 0, 1) - 0.001,
  );
});

Deno.test("parseTimeBound reads a naive date-time as UTC", () => {
  assert.equal(parseTimeBound("--since", "2026-03-01T10:15", NOW), Date.UTC(2026, 2, 1, 10, 15));
  assert.equal(
    parseTimeBound("--since", "2026-03-01T10:15:30", NOW),
    Date.UTC(2026, 2, 1, 10, 15, 30),
  );
  assert.equal(
    parseTimeBound("--since", "2026-03-01 10:15:30", NOW),
    Date.UTC(2026, 2, 1, 10, 15, 30),
  );
  assert.equal(
    parseTimeBound("--since", "2026-03-01T10:15:30.250", NOW),
    Date.UTC(2026, 2, 1, 10, 15, 30, 250),
  );
});

Deno.test("parseTimeBound with endOfDay leaves an explicit date-time as given", () => {
  assert.equal(
    parseTimeBound("--until", "2026-03-01T10:15", NOW, true),
    Date.UTC(2026, 2, 1, 10, 15),
  );
});

Deno.test("parseTimeBound honours Z and explicit offsets", () => {
  assert.equal(
    parseTimeBound("--since", "2026-03-01T10:00:00Z", NOW),
    Date.UTC(2026, 2, 1, 10),
  );
  assert.equal(
    parseTimeBound("--since", "2026-03-01T10:00:00+02:00", NOW),
    Date.UTC(2026, 2, 1, 8),
  );
  assert.equal(
    parseTimeBound("--since", "2026-03-01T10:00-05:30", NOW),
    Date.UTC(2026, 2, 1, 15, 30),
  );
  assert.equal(
    parseTimeBound("--since", "2026-02-16T09:12:58.036834+00:00", NOW),
    Date.UTC(2026, 1, 16, 9, 12, 58, 36) + 0.834,
  );
});

Deno.test("parseTimeBound reads relative forms against the injected now", () => {
  assert.equal(parseTimeBound("--since", "30m", NOW), NOW - 30 * 60_000);
  assert.equal(parseTimeBound("--since", "24h", NOW), Date.UTC(2026, 2, 1, 10));
  assert.equal(parseTimeBound("--since", "7d", NOW), Date.UTC(2026, 1, 23, 10));
  assert.equal(parseTimeBound("--since", "2w", NOW), Date.UTC(2026, 1, 16, 10));
  assert.equal(parseTimeBound("--since", "0m", NOW), NOW);
  // endOfDay only concerns bare dates
  assert.equal(parseTimeBound("--until", "1d", NOW, true), Date.UTC(2026, 2, 1, 10));
  // surrounding blanks are ignored
  assert.equal(parseTimeBound("--since", " 7d ", NOW), Date.UTC(2026, 1, 23, 10));
});

for (
  const [flag, text] of [
    ["--since", "2026-02-30"],
    ["--until", "2026-02-29"],
    ["--since", "2026-13-01"],
    ["--since", "2026-00-10"],
    ["--since", "yesterday"],
    ["--since", "7x"],
    ["--until", "7"],
    ["--since", "-7d"],
    ["--since", "7D"],
    ["--since", ""],
    ["--until", "   "],
    ["--since", "2026-3-1"],
    ["--since", "2026-03-01T25:00"],
    ["--since", "2026-03-01T10"],
    ["--until", "2026-03-01T10:00:00+0200"],
  ]
) {
  Deno.test(
    `parseTimeBound rejects ${JSON.stringify(text)} naming ${flag} and the accepted forms`,
    () => {
      assert.throws(
        () => parseTimeBound(flag, text, NOW, flag === "--until"),
        (error: unknown) => {
          assert.ok(error instanceof InvalidInputError);
          assert.equal(
            error.message,
            `${flag}: cannot read ${JSON.stringify(text)}; ${FORMS}`,
          );
          return true;
        },
      );
    },
  );
}

for (const text of ["2026-02-30T10:00", "2026-02-29T00:00:00Z", "2026-04-31T12:00:00+02:00"]) {
  Deno.test(
    `parseTimeBound rejects the impossible calendar date-time ${text} instead of rolling over`,
    () => {
      assert.throws(
        () => parseTimeBound("--since", text, NOW),
        new InvalidInputError(`--since: cannot read ${JSON.stringify(text)}; ${FORMS}`),
      );
    },
  );
}

Deno.test("parseSuccess reads exactly true and false", () => {
  assert.equal(parseSuccess("true"), true);
  assert.equal(parseSuccess("false"), false);
  for (const bad of ["TRUE", "yes", "1", ""]) {
    assert.throws(
      () => parseSuccess(bad),
      new InvalidInputError(
        `--success: expected true or false, got ${JSON.stringify(bad)}`,
      ),
    );
  }
});

// ---------------------------------------------------------------- featureMatches

Deno.test("featureMatches treats a plain pattern as a slug prefix", () => {
  assert.equal(featureMatches("043-telemetry-foundation", "043"), true);
  assert.equal(featureMatches("043-telemetry-foundation", "043-telemetry-foundation"), true);
  assert.equal(featureMatches("043-telemetry-foundation", "04"), true);
  assert.equal(featureMatches("043-telemetry-foundation", "43"), false);
  assert.equal(featureMatches("043-telemetry-foundation", "telemetry"), false);
  assert.equal(featureMatches("043", "043-telemetry"), false);
  assert.equal(featureMatches("043-a.b", "043-a."), true);
});

Deno.test("featureMatches treats * and ? as a glob over the whole slug", () => {
  assert.equal(featureMatches("043-telemetry-foundation", "04*"), true);
  assert.equal(featureMatches("043-telemetry-foundation", "*foundation"), true);
  assert.equal(featureMatches("043-telemetry-foundation", "04?-*"), true);
  assert.equal(featureMatches("048-full", "04?-*"), true);
  assert.equal(featureMatches("043-telemetry-foundation", "*telemetry*"), true);
  // a glob is anchored at both ends
  assert.equal(featureMatches("043-telemetry-foundation", "*telemetry"), false);
  assert.equal(featureMatches("043-telemetry-foundation", "43*"), false);
  assert.equal(featureMatches("043-x", "043-?"), true);
  assert.equal(featureMatches("043-xy", "043-?"), false);
  assert.equal(featureMatches("100-x", "04*"), false);
});

Deno.test("featureMatches takes regex metacharacters in a glob literally", () => {
  assert.equal(featureMatches("043-a.b", "043-a.*"), true);
  assert.equal(featureMatches("043-axb", "043-a.*"), false);
  assert.equal(featureMatches("043-(v2)+x", "043-(v2)+*"), true);
  assert.equal(featureMatches("043-v22x", "043-(v2)+*"), false);
  assert.equal(featureMatches("a$b^c", "a$b^*"), true);
});

// ---------------------------------------------------------------- matches

Deno.test("matches with an empty filter passes every event", () => {
  assert.equal(matches(event(), {}), true);
  assert.equal(matches(event({ event_type: "WPStatusChanged", payload: {} }), {}), true);
});

Deno.test("matches filters by event type", () => {
  assert.equal(matches(event(), { types: ["ExecutionEvent"] }), true);
  assert.equal(matches(event(), { types: ["WPStatusChanged"] }), false);
  assert.equal(matches(event(), { types: ["WPStatusChanged", "ExecutionEvent"] }), true);
});

Deno.test("matches filters by feature prefix and glob", () => {
  assert.equal(matches(event(), { features: ["043"] }), true);
  assert.equal(matches(event(), { features: ["04*"] }), true);
  assert.equal(matches(event(), { features: ["048"] }), false);
  assert.equal(matches(event(), { features: ["048", "043-tele"] }), true);
});

Deno.test("matches filters by wp, agent, role and model exactly", () => {
  const e = event({
    payload: payload({ wp_id: "WP04", agent: "codex", role: "reviewer", model: "gpt-5-codex" }),
  });
  const cases: [EventFilter, boolean][] = [
    [{ wps: ["WP04"] }, true],
    [{ wps: ["WP0"] }, false],
    [{ wps: ["wp04"] }, false],
    [{ agents: ["codex"] }, true],
    [{ agents: ["claude"] }, false],
    [{ agents: ["cod"] }, false],
    [{ roles: ["reviewer"] }, true],
    [{ roles: ["implementer"] }, false],
    [{ models: ["gpt-5-codex"] }, true],
    [{ models: ["gpt-5"] }, false],
  ];
  for (const [filter, expected] of cases) {
    assert.equal(matches(e, filter), expected, JSON.stringify(filter));
  }
});

Deno.test("matches compares model names trimmed and lower-cased (aliases are the CLI's to expand)", () => {
  const e = event({ payload: payload({ model: " GPT-5-Codex" }) });
  assert.equal(matches(e, { models: ["gpt-5-codex"] }), true);
  assert.equal(matches(e, { models: ["gpt-5.1-codex"] }), false);
});

Deno.test("matches by model excludes events whose model is null", () => {
  const e = event({ payload: payload({ model: null }) });
  assert.equal(matches(e, { models: ["claude-sonnet-4-5"] }), false);
  assert.equal(matches(e, { agents: ["claude"] }), true);
});

Deno.test("matches filters by success true and false", () => {
  const ok = event({ payload: payload({ success: true }) });
  const failed = event({ payload: payload({ success: false, exit_code: 1, error: "boom" }) });
  assert.equal(matches(ok, { success: true }), true);
  assert.equal(matches(ok, { success: false }), false);
  assert.equal(matches(failed, { success: false }), true);
  assert.equal(matches(failed, { success: true }), false);
});

Deno.test("matches excludes non-execution events from payload filters", () => {
  const other = event({ event_type: "WPStatusChanged", payload: { from: "doing", to: "done" } });
  assert.equal(matches(other, { wps: ["WP01"] }), false);
  assert.equal(matches(other, { agents: ["claude"] }), false);
  assert.equal(matches(other, { roles: ["implementer"] }), false);
  assert.equal(matches(other, { models: ["claude-sonnet-4-5"] }), false);
  assert.equal(matches(other, { success: true }), false);
  assert.equal(matches(other, { features: ["043"], types: ["WPStatusChanged"] }), true);
});

Deno.test("matches treats since and until as inclusive at the exact boundary", () => {
  const at = Date.UTC(2026, 2, 1, 12);
  const e = event({ timestamp: "2026-03-01T12:00:00.000Z" });
  assert.equal(matches(e, { since: at }), true);
  assert.equal(matches(e, { until: at }), true);
  assert.equal(matches(e, { since: at, until: at }), true);
  assert.equal(matches(e, { since: at + 1 }), false);
  assert.equal(matches(e, { until: at - 1 }), false);
});

Deno.test("matches compares Python-style +00:00 microsecond timestamps at the boundary", () => {
  const e = event({ timestamp: "2026-02-16T09:12:58.036834+00:00" });
  const bound = (text: string, endOfDay = false) => parseTimeBound("--since", text, NOW, endOfDay);
  // the exact same instant, as either bound
  const same = bound("2026-02-16T09:12:58.036834+00:00");
  assert.equal(matches(e, { since: same }), true);
  assert.equal(matches(e, { until: same }), true);
  // whole-day bounds around it
  assert.equal(matches(e, { since: bound("2026-02-16") }), true);
  assert.equal(matches(e, { until: bound("2026-02-16", true) }), true);
  assert.equal(matches(e, { until: bound("2026-02-15", true) }), false);
  assert.equal(matches(e, { since: bound("2026-02-17") }), false);
  // one millisecond either side
  assert.equal(matches(e, { since: bound("2026-02-16T09:12:58.038Z") }), false);
  assert.equal(matches(e, { until: bound("2026-02-16T09:12:58.035Z") }), false);
});

Deno.test("matches does not let a sub-millisecond difference cross a bound", () => {
  // 09:12:58.036834 is after an --until of 09:12:58.036 and before a --since of .036900
  const e = event({ timestamp: "2026-02-16T09:12:58.036834+00:00" });
  const until = parseTimeBound("--until", "2026-02-16T09:12:58.036Z", NOW, true);
  const since = parseTimeBound("--since", "2026-02-16T09:12:58.036900+00:00", NOW);
  assert.equal(matches(e, { until }), false);
  assert.equal(matches(e, { since }), false);
});

Deno.test("matches compares timestamps with offsets as instants", () => {
  // 01:00+02:00 on March 1st is 23:00Z on February 28th
  const e = event({ timestamp: "2026-03-01T01:00:00+02:00" });
  assert.equal(matches(e, { since: parseTimeBound("--since", "2026-03-01", NOW) }), false);
  assert.equal(matches(e, { until: parseTimeBound("--until", "2026-02-28", NOW, true) }), true);
});

Deno.test("matches ANDs different filters and ORs the values of one filter", () => {
  const events = [
    event({ event_id: "A", payload: payload({ agent: "claude", model: "claude-sonnet-4-5" }) }),
    event({ event_id: "B", payload: payload({ agent: "codex", model: "gpt-5-codex" }) }),
    event({
      event_id: "C",
      payload: payload({ agent: "codex", model: "gpt-5-codex", success: false }),
    }),
    event({
      event_id: "D",
      aggregate_id: "048-lifecycle",
      payload: payload({ agent: "claude", model: "claude-opus-4-6" }),
    }),
    event({
      event_id: "E",
      timestamp: "2026-02-01T00:00:00Z",
      payload: payload({ agent: "gemini", model: "gemini-2.5-pro" }),
    }),
  ];
  const ids = (filter: EventFilter) =>
    events.filter((e) => matches(e, filter)).map((e) => e.event_id).join("");
  assert.equal(ids({ agents: ["claude", "codex"] }), "ABCD");
  assert.equal(ids({ agents: ["claude", "codex"], features: ["043"] }), "ABC");
  assert.equal(ids({ agents: ["claude", "codex"], features: ["043"], success: true }), "AB");
  assert.equal(
    ids({ agents: ["claude", "gemini"], models: ["claude-opus-4-6", "gemini-2.5-pro"] }),
    "DE",
  );
  assert.equal(
    ids({ agents: ["claude", "gemini"], since: parseTimeBound("--since", "2026-02-15", NOW) }),
    "AD",
  );
  assert.equal(ids({ features: ["043", "048"], roles: ["implementer"], wps: ["WP01"] }), "ABCDE");
  assert.equal(ids({ features: ["048", "999"], types: ["Other", "ExecutionEvent"] }), "D");
  assert.equal(ids({ agents: ["claude"], models: ["gpt-5-codex"] }), "");
});
