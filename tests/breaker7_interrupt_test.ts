/**
 * Issue #18's push as a real process under the run line the docs give
 * (`--allow-net=HOST:PORT` and nothing wider): Ctrl-C in the middle of a
 * push leaves the record at the last accepted batch, and the next run sends
 * the rest.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cli } from "./helpers.ts";
import { idsFileOf } from "../src/export/export_cursor.ts";
import { KEY_BYTES } from "../src/export/sent_ids.ts";
import { projectWith, pushProcess } from "./otlp/otlp_helpers.ts";

Deno.test("Ctrl-C during a push leaves the record at the last accepted batch; the next run sends the rest", async () => {
  const { root } = await projectWith(2500);
  let requests = 0;
  const arrived: number[] = [];
  let secondArrived!: () => void;
  const second = new Promise<void>((done) => (secondArrived = done));
  let release!: () => void;
  const held = new Promise<void>((done) => (release = done));
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    const body = await req.text();
    arrived.push((body.match(/"spanId"/g) ?? []).length);
    if (++requests === 2) {
      secondArrived();
      await held; // never answered: the process is interrupted while it waits
      return new Response("late");
    }
    return Response.json({});
  });
  const host = `127.0.0.1:${server.addr.port}`;
  try {
    const child = pushProcess(host, root);
    await second;
    child.kill("SIGINT");
    const out = await child.output();
    assert.notEqual(out.code, 0);
    // The ids of the first (accepted) request are recorded, 8 bytes each; none of the second's.
    const ids = join(root, ".kittify", idsFileOf(`traces http://${host}/v1/traces`));
    assert.equal((await Deno.stat(ids)).size, 1000 * KEY_BYTES);
    release();
    const rest = await cli(["export", "--endpoint", `http://${host}`, "--root", root]);
    assert.equal(rest.code, 0, rest.stderr);
    assert.match(rest.stderr, /sent 1500 event\(s\).*1000 sent before/);
    assert.deepEqual(arrived, [1000, 1000, 1000, 500]);
  } finally {
    release();
    await server.shutdown();
  }
});
