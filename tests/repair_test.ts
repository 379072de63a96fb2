/**
 * `verify --repair` keeps every line it does not drop byte for byte, never
 * drops an event, and moves what it drops into a quarantine file that no
 * later repair overwrites (issue 14, point 1).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cli, tempProject } from "./helpers.ts";
import { encodeEvent } from "../src/event/line_codec.ts";
import { sampleEvent } from "./store_contract.ts";

const enc = new TextEncoder();
const e1 = sampleEvent({ aggregate_id: "043-r", node_id: "a", lamport_clock: 1 });
const e2 = sampleEvent({ aggregate_id: "043-r", node_id: "b", lamport_clock: 2 });
const line = (e: typeof e1) => enc.encode(encodeEvent(e) + "\n");

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

async function project(parts: Uint8Array[], mode = 0o644) {
  const root = await tempProject();
  const dir = join(root, "kitty-specs", "043-r");
  await Deno.mkdir(dir, { recursive: true });
  const log = join(dir, "execution.events.jsonl");
  await Deno.writeFile(log, concat(parts));
  await Deno.chmod(log, mode);
  return { root, dir, log };
}

/** The lines of some bytes, each with its `\n` (a last line without one gets it). */
export function splitLines(bytes: Uint8Array): string[] {
  const text = Array.from(bytes, (b) => String.fromCharCode(b)).join("");
  return text.split(/(?<=\n)/).filter((l) => l !== "").map((l) => l.endsWith("\n") ? l : l + "\n");
}

/** The quarantine files beside a log. */
export async function quarantined(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (entry.name.endsWith(".quarantine")) out.push(join(dir, entry.name));
  }
  return out.sort();
}

Deno.test("repair keeps invalid UTF-8 and lines over 16 MiB byte for byte", async () => {
  const bad = concat([
    enc.encode('{"note":"caf'),
    new Uint8Array([0xe9, 0xff]),
    enc.encode('"}\n'),
  ]);
  // An event over the 16 MiB line limit: merge and import accept it, so repair must keep it.
  const big = enc.encode(
    encodeEvent({ ...e2, payload: { ...e2.payload } }).slice(0, -1) +
      `,"x_note":"${"a".repeat(17 * 1024 * 1024)}"}\n`,
  );
  const { root, log } = await project([line(e1), bad, big, line(e1)]);
  const run = await cli(["verify", "--repair", "--root", root]);
  assert.match(run.stdout, /repaired 043-r: dropped line\(s\) 4/);
  // Not deepEqual: its diff of 17 MiB arrays exhausts memory.
  assert.ok(sameBytes(await Deno.readFile(log), concat([line(e1), bad, big])));
});

Deno.test("repair leaves one id with different content for a person and reports it", async () => {
  const other = { ...e1, payload: { ...e1.payload, agent: "someone-else" } };
  const { root, log } = await project([line(e1), line(other), line(e1)]);
  const run = await cli(["verify", "--repair", "--root", root]);
  assert.equal(run.code, 1, run.stdout);
  assert.deepEqual(await Deno.readFile(log), concat([line(e1), line(other)]));
  assert.match(run.stdout, /duplicate-id/);
});

Deno.test("two repairs in the same millisecond never overwrite each other's quarantine", async () => {
  const { root, dir, log } = await project([line(e1), line(e1), line(e2)], 0o600);
  const now = new Date("2026-03-02T10:00:00.000Z");
  const first = await cli(["verify", "--repair", "--root", root], { now });
  assert.equal(first.code, 0, first.stdout);
  await Deno.writeFile(log, concat([line(e2), line(e2)]), { append: true });
  const second = await cli(["verify", "--repair", "--root", root], { now });
  assert.equal(second.code, 0, second.stdout);
  const files = await quarantined(dir);
  assert.equal(files.length, 2);
  const kept = [
    ...splitLines(await Deno.readFile(log)),
    ...(await Promise.all(files.map((f) => Deno.readFile(f)))).flatMap(splitLines),
  ];
  const original = splitLines(concat([line(e1), line(e1), line(e2), line(e2), line(e2)]));
  assert.deepEqual(kept.sort(), original.sort());
  assert.equal((await Deno.stat(log)).mode! & 0o777, 0o600);
});

Deno.test("repair moves the torn tail and conflict markers to the quarantine file", async () => {
  const { root, dir, log } = await project([
    line(e1),
    enc.encode("<<<<<<< HEAD\n"),
    line(e2),
    enc.encode('{"torn'),
  ]);
  const run = await cli(["verify", "--repair", "--root", root]);
  assert.equal(run.code, 0, run.stdout);
  assert.deepEqual(await Deno.readFile(log), concat([line(e1), line(e2)]));
  const [file] = await quarantined(dir);
  assert.equal(await Deno.readTextFile(file), '<<<<<<< HEAD\n{"torn\n');
});
