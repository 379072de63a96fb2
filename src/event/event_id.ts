/**
 * Event ids as spec-kitty's `normalize_event_id` reads them, and an event's
 * identity. Its emitter mints ULIDs with python-ulid when that is installed
 * and `uuid4().hex[:26]` otherwise, so a log holds 26-character ids whose
 * first character may be anything (a strict ULID starts at most with `7`),
 * in either case; other writers use UUIDs, hyphenated or bare. Each spelling
 * of one id is one event: compare ids only through
 * {@linkcode normalizeEventId}. Stored lines keep the spelling they have.
 *
 * @module
 */

// Crockford base32 without I, L, O, U; any first character.
const ULID_FORM = /^[0-9A-HJKMNP-TV-Z]{26}$/i;
const UUID_HYPHENATED = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const UUID_BARE = /^[0-9a-f]{32}$/i;

/**
 * True for one of the three accepted forms: 26 Crockford base32 characters
 * (any case, any first character), a 36-character hyphenated UUID or a
 * 32-character bare hex UUID (any case).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isEventId } from "./event_id.ts";
 * assert.ok(isEventId("9f1c2b7a0d4e4f1ab3c5d6e7f8")); // uuid4().hex[:26]
 * assert.ok(isEventId("0123456789abcdef0123456789ABCDEF"));
 * assert.ok(isEventId("123E4567-E89B-12D3-A456-426614174000"));
 * assert.ok(!isEventId("01KHJVJWDM0HGAGYGXJYKD1JQU")); // U is not Crockford
 * assert.ok(!isEventId("0123456789abcdef0123456789abcde")); // 31 characters
 * ```
 */
export function isEventId(value: string): boolean {
  switch (value.length) {
    case 26:
      return ULID_FORM.test(value);
    case 32:
      return UUID_BARE.test(value);
    case 36:
      return UUID_HYPHENATED.test(value);
    default:
      return false;
  }
}

/**
 * An id's one spelling, the event's identity: the 26-character form upper
 * case, a UUID hyphenated and lower case. A string that is no event id comes
 * back unchanged (it can then only equal itself).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { normalizeEventId } from "./event_id.ts";
 * assert.equal(normalizeEventId("01khjvjwdm0hgagygxjykd1jqg"), "01KHJVJWDM0HGAGYGXJYKD1JQG");
 * assert.equal(
 *   normalizeEventId("0123456789ABCDEF0123456789abcdef"),
 *   "01234567-89ab-cdef-0123-456789abcdef",
 * );
 * assert.equal(
 *   normalizeEventId("123E4567-E89B-12D3-A456-426614174000"),
 *   "123e4567-e89b-12d3-a456-426614174000",
 * );
 * assert.equal(normalizeEventId("not-an-id"), "not-an-id");
 * ```
 */
export function normalizeEventId(id: string): string {
  switch (id.length) {
    case 26:
      return ULID_FORM.test(id) ? id.toUpperCase() : id;
    case 32: {
      if (!UUID_BARE.test(id)) return id;
      const h = id.toLowerCase();
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${
        h.slice(20)
      }`;
    }
    case 36:
      return UUID_HYPHENATED.test(id) ? id.toLowerCase() : id;
    default:
      return id;
  }
}
