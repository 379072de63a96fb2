/**
 * ULIDs (26-character Crockford base32: 48-bit milliseconds + 80 random
 * bits), as `emit` mints them. What a log may hold, and how ids compare, is
 * `event_id.ts`.
 *
 * @module
 */

import { isEventId } from "./event_id.ts";

const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const ULID_RE = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/i;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * True for a strict 26-character Crockford ULID (either case, first
 * character at most `7`). Logs may hold more: see `isEventId`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isUlid } from "./ulid.ts";
 * assert.ok(isUlid("01KHJVJWDM0HGAGYGXJYKD1JQG"));
 * assert.ok(!isUlid("not-an-id"));
 * ```
 */
export function isUlid(value: string): boolean {
  return ULID_RE.test(value);
}

/**
 * True for a 36-character hyphenated UUID (any version).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isUuid } from "./ulid.ts";
 * assert.ok(isUuid("123e4567-e89b-12d3-a456-426614174000"));
 * ```
 */
export function isUuid(value: string): boolean {
  return UUID_RE.test(value);
}

/** Sources of time and randomness, injected so ids are exact under test. */
export interface UlidSources {
  /** Milliseconds since the epoch. */
  now?: () => number;
  /** Fills the array with random bytes. */
  random?: (bytes: Uint8Array) => Uint8Array;
}

/**
 * Returns a function minting upper-case ULIDs. Ids minted in the same
 * millisecond by one factory increase strictly (the random part is bumped),
 * so they sort in creation order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ulidFactory } from "./ulid.ts";
 * const next = ulidFactory({ now: () => 0, random: (b) => b.fill(0) });
 * assert.ok(next() === "00000000000000000000000000");
 * assert.ok(next() === "00000000000000000000000001");
 * ```
 */
export function ulidFactory(sources: UlidSources = {}): () => string {
  const now = sources.now ?? Date.now;
  const random = sources.random ??
    ((bytes: Uint8Array) => crypto.getRandomValues(bytes));
  let lastTime = -1;
  let lastRandom: Uint8Array = new Uint8Array(10);
  return () => {
    const time = now();
    if (!Number.isSafeInteger(time) || time < 0 || time >= 2 ** 48) {
      throw new RangeError(`ULID time out of range: ${time}`);
    }
    if (time === lastTime) {
      lastRandom = increment(lastRandom);
    } else {
      lastTime = time;
      lastRandom = random(new Uint8Array(10));
    }
    return encodeTime(time) + encodeRandom(lastRandom);
  };
}

/**
 * The ULID `n` steps after `id` (same time part, random part plus `n`):
 * deterministic ids for the parts of one caller-identified emit. Any
 * 26-character id counts, `uuid4().hex[:26]` too (its "time" is never read).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ulidPlus } from "./ulid.ts";
 * assert.ok(ulidPlus("01KHJVJWDM0HGAGYGXJYKD1JQG", 1) === "01KHJVJWDM0HGAGYGXJYKD1JQH");
 * ```
 */
export function ulidPlus(id: string, n: number): string {
  if (id.length !== 26 || !isEventId(id)) throw new RangeError(`not a ULID: ${id}`);
  const upper = id.toUpperCase();
  let value = 0n;
  for (const c of upper.slice(10)) value = value * 32n + BigInt(ALPHABET.indexOf(c));
  value += BigInt(n);
  if (value >= 1n << 80n) throw new RangeError("ULID random part overflowed");
  let out = "";
  for (let i = 0; i < 16; i++) {
    out = ALPHABET[Number(value & 31n)] + out;
    value >>= 5n;
  }
  return upper.slice(0, 10) + out;
}

function encodeTime(time: number): string {
  let out = "";
  for (let i = 0; i < 10; i++) {
    out = ALPHABET[time % 32] + out;
    time = Math.floor(time / 32);
  }
  return out;
}

function encodeRandom(bytes: Uint8Array): string {
  let value = 0n;
  for (const b of bytes) value = (value << 8n) | BigInt(b);
  let out = "";
  for (let i = 0; i < 16; i++) {
    out = ALPHABET[Number(value & 31n)] + out;
    value >>= 5n;
  }
  return out;
}

function increment(bytes: Uint8Array): Uint8Array {
  const next = bytes.slice();
  for (let i = next.length - 1; i >= 0; i--) {
    if (next[i] === 0xff) {
      next[i] = 0;
      continue;
    }
    next[i]++;
    return next;
  }
  throw new RangeError("ULID random part overflowed within one millisecond");
}
