/**
 * The record of sent ids: one key per id whatever its spelling or the path
 * that read it (a line's bytes or a decoded event), and a set that keeps
 * every key it is given, through its file's bytes.
 */
import assert from "node:assert/strict";
import {
  type IdKey,
  KEY_BYTES,
  keyBytes,
  keyOfBytes,
  keyOfId,
  SentIds,
} from "../src/export/sent_ids.ts";
import { prng } from "../bench/generate.ts";

const SEED = Number(Deno.env.get("KITTY_SEED") ?? Date.now() % 1_000_000);
const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

Deno.test("an id's key is the same from a line's bytes in any case and from its text", () => {
  const random = prng(SEED);
  const why = `KITTY_SEED=${SEED}`;
  const keys = new Set<string>();
  for (let i = 0; i < 2000; i++) {
    const id = Array.from({ length: 26 }, () => CROCKFORD[Math.floor(random() * 32)]).join("");
    const spelt = [...id].map((c) => (random() < 0.5 ? c.toLowerCase() : c)).join("");
    // The id inside a line, as the byte readers hand it over.
    const line = new TextEncoder().encode(`{"event_id": "${spelt}", "x": 1}`);
    const fromBytes: IdKey = [0, 0];
    keyOfBytes(line, 14, 40, true, fromBytes);
    assert.deepEqual(fromBytes, keyOfId(id), why);
    keys.add(fromBytes.join(","));
  }
  assert.equal(keys.size, 2000, "distinct ids, distinct keys");
  assert.deepEqual(
    keyOfId("0123456789ABCDEF0123456789ABCDEF"),
    keyOfId("01234567-89ab-cdef-0123-456789abcdef"),
  );
  assert.notDeepEqual(keyOfId("01KHJVJWDM0HGAGYGXJYKD1JQG"), keyOfId("01KHJVJWDM0HGAGYGXJYKD1JQH"));
});

Deno.test("the set keeps every key it is given, read back from its file's bytes, a torn last key left out", () => {
  const random = prng(SEED + 1);
  const why = `KITTY_SEED=${SEED}`;
  const given: IdKey[] = [[0, 0], [0, 1], [1, 0]];
  for (let i = 0; i < 50_000; i++) {
    given.push([Math.floor(random() * 2 ** 32), Math.floor(random() * 2 ** 32)]);
  }
  const set = new SentIds();
  for (const key of given) set.add(key);
  assert.equal(set.size, given.length, why);
  // The file's bytes, as a push appends them.
  const bytes = keyBytes(given.flat());
  assert.equal(bytes.length, given.length * KEY_BYTES);
  const again = SentIds.from(new Uint8Array([...bytes, 7, 7, 7]));
  assert.equal(again.size, given.length);
  for (const key of given) assert.ok(again.has(key), `${why}: ${key}`);
  assert.ok(!new SentIds().has([0, 0]) && !again.has([2, 0]) && !again.has([0, 2]), why);
  assert.equal(again.add(given[5]), false, "a key given twice is kept once");
});
