/**
 * Issue #18's push over many runs of a growing project: each round appends
 * random events to random features (new ids in the three spellings, copies
 * of earlier events in another spelling, feature or layout, some with
 * lower clocks or other content), then pushes, with or without a filter,
 * to a receiver that may refuse a request (400: the run stops). A last push
 * without filters must leave every event `cost` counts accepted exactly
 * once. Seeds: `KITTY_SEED` (one), else three from the clock.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cli, payload } from "./helpers.ts";
import { pushIo } from "../src/cli/export_push.ts";
import { encodeEvent } from "../src/event/line_encode.ts";
import { normalizeEventId } from "../src/event/event_id.ts";
import { prng } from "../bench/generate.ts";

pushIo.sleep = () => Promise.resolve();

const given = Deno.env.get("KITTY_SEED");
const SEEDS = given ? [Number(given)] : [0, 1, 2].map((i) => (Date.now() + i * 7919) % 1_000_000);

const CROCKFORD = [..."0123456789ABCDEFGHJKMNPQRSTVWXYZ"];
const HEX = [..."0123456789abcdef"];

/** JSON as Python's `json.dumps` writes it (", " and ": "): the Python writer's layout. */
const pythonJson = (v: unknown): string =>
  Array.isArray(v)
    ? `[${v.map(pythonJson).join(", ")}]`
    : v !== null && typeof v === "object"
    ? `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}: ${pythonJson(x)}`).join(", ")}}`
    : JSON.stringify(v);

const hyphenated = (hex: string) =>
  `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${
    hex.slice(20)
  }`;

for (const seed of SEEDS) {
  Deno.test(`pushes over rounds of new events, copies, filters and refusals accept each event once (KITTY_SEED=${seed})`, async () => {
    const random = prng(seed);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
    const root = await Deno.makeTempDir({ prefix: "kitty-test-" });
    const features = ["001-a", "002-b", "constructor"];
    for (const f of features) await Deno.mkdir(join(root, "kitty-specs", f), { recursive: true });
    const made: Record<string, unknown>[] = [];
    const accepted: string[] = [];
    let request = 0;
    let refuse = -1;
    const server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen: () => {} },
      async (req) => {
        const body = await req.text();
        if (request++ === refuse) return new Response("refused by the test", { status: 400 });
        const ids = body.matchAll(/"kitty\.event_id","value":\{"stringValue":"([^"]+)"/g);
        accepted.push(...[...ids].map((m) => normalizeEventId(m[1])));
        return Response.json({});
      },
    );
    const url = `http://127.0.0.1:${server.addr.port}`;
    const newId = () => {
      const kind = random();
      if (kind < 0.6) return Array.from({ length: 26 }, () => pick(CROCKFORD)).join("");
      const hex = Array.from({ length: 32 }, () => pick(HEX)).join("");
      return kind < 0.8 ? hex : hyphenated(hex);
    };
    const respell = (id: string) => {
      const upper = random() < 0.5;
      if (id.length === 26) return upper ? id.toUpperCase() : id.toLowerCase();
      const bare = id.replaceAll("-", "");
      const spelt = random() < 0.5 ? bare : hyphenated(bare);
      return upper ? spelt.toUpperCase() : spelt.toLowerCase();
    };
    let clock = 0;
    const why = `KITTY_SEED=${seed}`;
    try {
      for (let round = 0; round < 6; round++) {
        const lines: Record<string, string[]> = Object.create(null);
        for (let i = Math.floor(random() * 1500); i > 0; i--) {
          const feature = pick(features);
          let e: Record<string, unknown>;
          if (made.length > 0 && random() < 0.1) {
            const old = pick(made);
            e = { ...old, event_id: respell(old.event_id as string) };
            if (random() < 0.5) {
              const lower = Math.max(
                1,
                (old.lamport_clock as number) - 1 - Math.floor(random() * 5),
              );
              e = { ...e, lamport_clock: lower, aggregate_id: feature };
            }
            if (random() < 0.3) {
              e = { ...e, payload: payload({ agent: pick(["claude", "codex"]) }) };
            }
          } else {
            const failed = random() < 0.2;
            e = {
              event_id: newId(),
              event_type: "ExecutionEvent",
              aggregate_id: feature,
              lamport_clock: ++clock,
              node_id: pick(["n1", "n2", "cli:WP01"]),
              causation_id: null,
              timestamp: new Date(1_767_225_600_000 + clock * 1000).toISOString(),
              payload: payload({
                agent: pick(["claude", "codex"]),
                ...(failed
                  ? { success: false, exit_code: 1, error: pick(['é\u9519"\\', "x"]) }
                  : {}),
              }),
            };
            made.push(e);
          }
          const line = random() < 0.3 ? pythonJson(e) : encodeEvent(e as never);
          (lines[e.aggregate_id as string] ??= []).push(line + "\n");
        }
        for (const f of Object.keys(lines)) {
          const log = join(root, "kitty-specs", f, "execution.events.jsonl");
          await Deno.writeTextFile(log, lines[f].join(""), { append: true });
        }
        request = 0;
        refuse = random() < 0.4 ? Math.floor(random() * 3) : -1;
        const filter = random() < 0.4 ? ["--agent", pick(["claude", "codex"])] : [];
        const run = await cli(["export", "--endpoint", url, "--root", root, ...filter]);
        assert.ok(run.code === 0 || (run.code === 1 && /400/.test(run.stderr)), run.stderr);
      }
      refuse = -1;
      const last = await cli(["export", "--endpoint", url, "--root", root]);
      assert.equal(last.code, 0, last.stderr);
      const times = new Map<string, number>();
      for (const id of accepted) times.set(id, (times.get(id) ?? 0) + 1);
      assert.deepEqual([...times].filter(([, n]) => n > 1), [], why);
      const cost = JSON.parse((await cli(["cost", "--json", "--root", root])).stdout);
      const counted = cost.groups.reduce(
        (n: number, g: { event_count: number }) => n + g.event_count,
        0,
      );
      assert.equal(times.size, counted, why);
    } finally {
      await server.shutdown();
    }
  });
}
