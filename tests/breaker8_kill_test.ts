/**
 * Issue #18's push as real processes: one killed with SIGKILL in the middle
 * of a push while a second push to the same endpoint waits for it. The OS
 * lock dies with its process, so the second goes on at once, and sends only
 * what the first had not recorded.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { idsFileOf } from "../src/export/export_cursor.ts";
import { KEY_BYTES } from "../src/export/sent_ids.ts";
import { projectWith, pushProcess as push } from "./otlp/otlp_helpers.ts";

Deno.test({
  name:
    "kill -9 mid-push while a second push waits: the second sends the rest at once, nothing lost",
  fn: async () => {
    const { root, events } = await projectWith(2500);
    const arrived: string[][] = [];
    let secondArrived!: () => void;
    const second = new Promise<void>((done) => (secondArrived = done));
    let release!: () => void;
    const held = new Promise<void>((done) => (release = done));
    const server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen: () => {} },
      async (req) => {
        const body = await req.text();
        arrived.push(
          [...body.matchAll(/"kitty\.event_id","value":\{"stringValue":"([^"]+)"/g)].map((m) =>
            m[1]
          ),
        );
        if (arrived.length === 2) {
          secondArrived();
          await held; // never answered: the first push is killed while it waits
          return new Response("late");
        }
        return Response.json({});
      },
    );
    const host = `127.0.0.1:${server.addr.port}`;
    const ids = join(root, ".kittify", idsFileOf(`traces http://${host}/v1/traces`));
    try {
      const first = push(host, root);
      await second;
      const waiting = push(host, root);
      // Its stderr as it comes: it says it waits (at once, not when it ends).
      let said = "";
      let saysWait!: () => void;
      const waits = new Promise<void>((done) => (saysWait = done));
      const read = (async () => {
        for await (const chunk of waiting.stderr.pipeThrough(new TextDecoderStream())) {
          said += chunk;
          if (/waiting for it to end/.test(said)) saysWait();
        }
      })();
      // Or it ended without a word: the match below says so.
      read.then(saysWait);
      await waits;
      assert.match(
        said,
        /^warning: another push to http:\/\/.*\/v1\/traces is under way \(.*\.ids is locked\): waiting for it to end, at most 30 s\n$/,
      );
      // Had it not waited for the lock, it would have read the record and sent by now.
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(arrived.length, 2, "the second push sent while the first held the record");
      first.kill("SIGKILL");
      const killed = await first.output();
      assert.equal(killed.signal, "SIGKILL");
      const { code } = await waiting.status;
      await read;
      const stderr = said;
      assert.equal(code, 0, stderr);
      // The first request was recorded; the one in flight when it died goes again.
      assert.match(stderr, /sent 1500 event\(s\).*1000 sent before/);
      assert.equal((await Deno.stat(ids)).size, 2500 * KEY_BYTES);
      assert.deepEqual(arrived.map((a) => a.length), [1000, 1000, 1000, 500]);
      assert.deepEqual(arrived[2], arrived[1], "only the request in flight is sent twice");
      assert.deepEqual([...new Set(arrived.flat())].sort(), events.map((e) => e.event_id).sort());
    } finally {
      release();
      await server.shutdown();
    }
  },
});
