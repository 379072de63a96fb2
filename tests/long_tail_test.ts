/**
 * The O(1) tail read finds the last line however long it is, up to the
 * line limit (issue 14, point 10): after a crash between the append and
 * the clock write, a last line over 64 KiB must still give its clock.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cli, tempProject } from "./helpers.ts";
import { readTail } from "../src/store/log_tail.ts";

Deno.test("a last line over 64 KiB still gives the next emit its clock", async () => {
  const root = await tempProject();
  const args = ["emit", "--feature", "043-t", "--agent", "x", "--role", "r", "--node-id", "n"];
  const at = (day: number) => ({ now: new Date(Date.UTC(2026, 2, day)) });
  assert.equal((await cli([...args, "--root", root], at(1))).code, 0);
  // 30,000 CJK characters: 90 KB of UTF-8, well under the 64 Ki-character cap on errors.
  const long = await cli(
    [...args, "--root", root, "--failure", "--error", "\u4e00".repeat(30_000)],
    at(2),
  );
  assert.equal(long.code, 0, long.stderr);
  // A crash between the append and the clock write leaves the clock file one behind.
  const clockPath = join(root, "kitty-specs", "043-t", ".telemetry-clock.json");
  await Deno.writeTextFile(clockPath, '{"n": 1}');
  const next = await cli([...args, "--root", root, "--json"], at(3));
  assert.equal(JSON.parse(next.stdout).lamport_clock, 3);
});

Deno.test("readTail reads back a last line of several MiB", async () => {
  const path = await Deno.makeTempFile();
  const event = (clock: number, pad: number) =>
    JSON.stringify({
      event_id: "01KHJVJWDM0HGAGYGXJYKD1JQG",
      event_type: "Note",
      aggregate_id: "043-x",
      lamport_clock: clock,
      node_id: "n",
      causation_id: null,
      timestamp: "2026-02-16T09:12:58Z",
      payload: { note: "x".repeat(pad) },
    }) + "\n";
  await Deno.writeTextFile(path, event(1, 10) + event(7, 3 * 1024 * 1024));
  assert.equal((await readTail(path)).last?.lamport_clock, 7);
  // A last line over the 16 MiB limit is not read back.
  await Deno.writeTextFile(path, event(1, 10) + event(8, 17 * 1024 * 1024));
  assert.equal((await readTail(path)).last, undefined);
});
