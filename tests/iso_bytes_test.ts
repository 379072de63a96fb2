/**
 * The time read from bytes (for dated prices, per event) agrees with the one
 * rule for timestamps, `isoInstantMs`, on every form it takes, and takes the
 * forms the writers use.
 */
import assert from "node:assert/strict";
import { isoBytesMs, isoInstantMs } from "../src/event/iso_time.ts";

const bytes = (s: string) => new TextEncoder().encode(s);
const read = (s: string) => isoBytesMs(bytes(s), 0, bytes(s).length);

Deno.test("the writers' forms are read from bytes, equal to isoInstantMs", () => {
  for (
    const t of [
      "2026-02-16T09:12:58.036Z", // ours
      "2026-02-16T09:12:58.036834+00:00", // Python, aware
      "2026-02-16T09:12:58.036834", // Python, naive: UTC
      "2026-03-12T23:30:00-05:00",
      "2024-02-29T00:00:00Z",
      "2026-02-16T09:12:58.123456789+01:30",
    ]
  ) {
    assert.ok(!Number.isNaN(read(t)), t);
    assert.equal(read(t), isoInstantMs(t), t);
  }
});

Deno.test("whatever isoBytesMs reads, it reads as isoInstantMs does (30,000 mutated stamps)", () => {
  const seed = Number(Deno.env.get("KITTY_SEED") ?? Date.now() % 1_000_000);
  let state = seed;
  const rand = (n: number) => (state = (state * 1103515245 + 12345) % 2 ** 31) % n;
  const base = ["2026-02-16T09:12:58.036834+00:00", "2025-12-31T23:59:59Z", "2024-02-29T12:00:00"];
  const alphabet = "0123456789-:T.Z+ zt,";
  let taken = 0;
  for (let i = 0; i < 30_000; i++) {
    let t = base[rand(base.length)];
    for (let k = rand(3); k > 0; k--) {
      const at = rand(t.length);
      const c = alphabet[rand(alphabet.length)];
      t = rand(3) === 0 ? t.slice(0, at) + t.slice(at + 1) : t.slice(0, at) + c + t.slice(at + 1);
    }
    const fast = read(t);
    if (Number.isNaN(fast)) continue;
    taken++;
    assert.equal(fast, isoInstantMs(t), `${t} (KITTY_SEED=${seed})`);
  }
  assert.ok(taken > 3000, `only ${taken} taken`);
});

Deno.test("a form it does not take is NaN (the caller reads the text)", () => {
  for (const t of ["2026-02-30T00:00:00Z", "2026-02-16 09:12:58", "2026-02-16T24:00:00Z", "x"]) {
    assert.ok(Number.isNaN(read(t)), t);
  }
});
