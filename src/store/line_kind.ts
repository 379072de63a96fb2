/**
 * What one raw log line is, judged from its bytes: an event, a git conflict
 * marker, a blank line, or something else (torn, invalid JSON, not UTF-8).
 * Repair and the merge ask this one question the same way.
 *
 * @module
 */
import type { Event } from "../event/envelope.ts";
import { decodeLine, type DecodeResult } from "../event/line_codec.ts";
import { fastCheck } from "../event/fast_check.ts";
import { MIN_EVENT_BYTES, valueNotEvent } from "../read/not_event.ts";
import { isAcceptedClock, MAX_LAMPORT_CLOCK } from "../clock/lamport.ts";

/** The verdict on one line. */
export type LineKind =
  | { kind: "event"; event: Event; line: string }
  | { kind: "marker" }
  | { kind: "blank" }
  | { kind: "other"; reason: string };

const strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * True for a line git writes around a text conflict (a trailing `\r` allowed).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isMarkerText } from "./line_kind.ts";
 * assert.ok(isMarkerText("<<<<<<< HEAD\r") && !isMarkerText("{}"));
 * ```
 */
export function isMarkerText(text: string): boolean {
  return /^(<{7}|={7}|>{7}|\|{7})( |\r?$)/.test(text);
}

/** The reason a line that is not UTF-8 gets. */
export const NOT_UTF8 = "not valid UTF-8";

/** The reason given for a git conflict marker line. */
export const MARKER_REASON = "git conflict marker (the file was merged as text)";

/**
 * Classifies a line (its bytes without the `\n`); an event comes with the
 * whole line as text, a `\r` included. Bytes that are not UTF-8
 * make a line "other": decoding them to U+FFFD could turn it into an event
 * whose bytes differ from the file's.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { classifyLine } from "./line_kind.ts";
 * const bytes = (s: string) => new TextEncoder().encode(s);
 * assert.equal(classifyLine(bytes("=======")).kind, "marker");
 * assert.equal(classifyLine(bytes(" \r")).kind, "blank");
 * assert.equal(classifyLine(new Uint8Array([0x7b, 0xff])).kind, "other");
 * ```
 */
export function classifyLine(bytes: Uint8Array, decode = decodeLine): LineKind {
  let line: string;
  try {
    line = strict.decode(bytes);
  } catch {
    return { kind: "other", reason: NOT_UTF8 };
  }
  return classifyText(line, decode);
}

/**
 * {@linkcode classifyLine} for a line already decoded (strictly) from UTF-8.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { classifyText } from "./line_kind.ts";
 * assert.equal(classifyText("{}").kind, "other");
 * ```
 */
export function classifyText(line: string, decode = decodeLine): LineKind {
  const text = line.endsWith("\r") ? line.slice(0, -1) : line;
  if (text.trim() === "") return { kind: "blank" };
  if (isMarkerText(text)) return { kind: "marker" };
  const decoded = decode(text);
  if (!decoded.ok) return { kind: "other", reason: decoded.reason };
  const clock = decoded.event.lamport_clock;
  if (!isAcceptedClock(clock)) {
    return {
      kind: "other",
      reason: `lamport_clock ${clock} is over the ceiling, ${MAX_LAMPORT_CLOCK}`,
    };
  }
  return { kind: "event", event: decoded.event, line };
}

/**
 * {@linkcode decodeLine} for callers that need no reason for a line that is
 * no event: `undefined` when the line (not blank) certainly is none (too
 * short, not JSON, an envelope the table refuses), its reason never built
 * and the text parsed once; else what `decodeLine` says.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeUnlessJunk } from "./line_kind.ts";
 * assert.equal(decodeUnlessJunk("{}"), undefined);
 * assert.equal(decodeUnlessJunk(`[${"1,".repeat(99)}1]`), undefined);
 * ```
 */
export function decodeUnlessJunk(text: string): DecodeResult | undefined {
  if (text.length < MIN_EVENT_BYTES) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // Python's NaN and Infinity are not JSON, yet such a line can be an event.
    return /NaN|Infinity/.test(text) ? decodeLine(text) : undefined;
  }
  const fast = fastCheck(value);
  if (fast) return { ok: true, event: fast };
  return valueNotEvent(value) ? undefined : decodeLine(text);
}
